@testable import Delivery

/// Sends `message` to a relay at `host:port` on a thread of its own: `send` blocks, as it will
/// on the outbox's worker thread, and must not hold up the cooperative pool other tests use.
/// The default timeouts are generous, so that a loaded machine cannot fail a test.
func send(_ message: MailMessage, host: String = "127.0.0.1", port: Int,
          timeouts: SMTPTimeouts = SMTPTimeouts(connect: .seconds(10), reply: .seconds(10), write: .seconds(10), endOfData: .seconds(10)))
    async throws -> Result<SMTPReceipt, DeliveryError> {
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
