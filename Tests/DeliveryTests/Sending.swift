@testable import Delivery

/// Sends `message` to a relay at `host:port` on a thread of its own: `send` blocks, as it will
/// on the outbox's worker thread, and must not hold up the cooperative pool other tests use.
/// Timeouts are generous (a loaded machine must not fail a test) except where a test sets one.
func send(_ message: MailMessage, host: String = "127.0.0.1", port: Int,
          replyTimeout: Duration = .seconds(10)) async throws -> Result<SMTPReceipt, DeliveryError> {
    let timeouts = SMTPTimeouts(connect: .seconds(10), reply: replyTimeout, write: .seconds(10), endOfData: .seconds(10))
    let relay = try SMTPRelay(host: host, port: port, heloName: "byneed.example", timeouts: timeouts)
    return await onOwnThread { Result { () throws(DeliveryError) in try relay.send(message) } }
}

/// Thrown, failing the test, when a send that should fail was accepted.
struct UnexpectedAcceptance: Error {
    let receipt: SMTPReceipt
}

/// The error of a send that must have failed.
func failure(of result: Result<SMTPReceipt, DeliveryError>) throws -> DeliveryError {
    switch result {
    case .failure(let error): return error
    case .success(let receipt): throw UnexpectedAcceptance(receipt: receipt)
    }
}
