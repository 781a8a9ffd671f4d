import Foundation
import Glibc
import Testing
@testable import Delivery

/// Sends over a real socket to a real SMTP server (aiosmtpd, started per test), or to local
/// sockets that refuse or never answer. Enabled when `BYNEED_PYTHON` names an interpreter with
/// aiosmtpd installed (`./scripts/test` sets it to the acceptance venv's python).
@Suite(.enabled(if: SMTPSink.python != nil, "needs BYNEED_PYTHON with aiosmtpd"))
struct LiveRelayTests {
    private static let timeouts = SMTPTimeouts(connect: .seconds(5), reply: .seconds(1), write: .seconds(5), endOfData: .seconds(5))

    private static func relay(port: Int) throws -> SMTPRelay {
        try SMTPRelay(host: "127.0.0.1", port: port, heloName: "byneed.example", timeouts: timeouts)
    }

    /// Sends on a thread of its own: `send` blocks, as it will on the outbox's worker thread.
    private static func send(_ message: MailMessage, port: Int) async throws -> Result<SMTPReceipt, DeliveryError> {
        let relay = try relay(port: port)
        return await onOwnThread { Result { () throws(DeliveryError) in try relay.send(message) } }
    }

    /// Thrown, failing the test, when a send that should fail was accepted.
    private struct UnexpectedAcceptance: Error {
        let receipt: SMTPReceipt
    }

    private static func failure(_ result: Result<SMTPReceipt, DeliveryError>) throws -> DeliveryError {
        switch result {
        case .failure(let error): return error
        case .success(let receipt): throw UnexpectedAcceptance(receipt: receipt)
        }
    }

    @Test("A Danish message arrives intact: same bytes, same subject, names and body after parsing")
    func deliversDanishMessage() async throws {
        let sink = try await SMTPSink.start()
        let text = "Kære Søren Ærø,\n\nDu er inviteret til at besvare spørgeskemaet om søvn.\nMed venlig hilsen\nAfdeling Å = \"æble\" "
        let message = try sampleMessage(subject: "Påmindelse: spørgeskema om søvn, smerter og træthed før næste kontrol i Ærøskøbing",
                                        text: text, fromName: "Odense Universitetshospital, Afd. Ø", toName: "Søren Ærø")
        let receipt = try await Self.send(message, port: sink.port).get()
        #expect(receipt.messageID == message.messageID)
        #expect(receipt.reply.code == 250)
        #expect(receipt.reply.lines == ["2.0.0 Ok: queued as sink-1"])
        #expect(receipt.relay == "127.0.0.1:\(sink.port)")

        let (raw, parsed) = try sink.received(1)
        #expect(raw == message.rendered())
        #expect(parsed.defects.isEmpty)
        #expect(parsed.subject == message.subject)
        #expect(parsed.fromDisplayName == "Odense Universitetshospital, Afd. Ø")
        #expect(parsed.fromAddress == "noreply@byneed.example")
        #expect(parsed.toDisplayName == "Søren Ærø")
        #expect(parsed.toAddress == "patient@example.dk")
        #expect(parsed.messageID == message.messageID)
        #expect(parsed.contentType == "text/plain")
        // A single-part body owns the message's final CRLF, so the parsed text ends with a newline.
        #expect(parsed.text?.replacing("\r\n", with: "\n") == text + "\n")
        #expect(parsed.mailFrom == "noreply@byneed.example")
        #expect(parsed.rcptTos == ["patient@example.dk"])
        #expect(parsed.heloName == "byneed.example")
    }

    @Test("Text and HTML arrive as alternatives; lines starting with '.' and the boundary text survive")
    func deliversMultipartWithDots() async throws {
        let sink = try await SMTPSink.start()
        let text = ".\n..\n.skjult linje\n--=_ByNeed_alternative--\nslut.\n."
        let html = "<p>Svar på <a href=\"https://byneed.example/q/abc=\">spørgeskemaet</a></p>\n.\n"
        let message = try sampleMessage(text: text, html: html)
        _ = try await Self.send(message, port: sink.port).get()
        let (raw, parsed) = try sink.received(1)
        #expect(raw == message.rendered())
        #expect(parsed.defects.isEmpty)
        #expect(parsed.contentType == "multipart/alternative")
        // In a multipart body the CRLF before each boundary belongs to the boundary (RFC 2046 §5.1.1).
        #expect(parsed.text?.replacing("\r\n", with: "\n") == text)
        #expect(parsed.html?.replacing("\r\n", with: "\n") == html)
    }

    @Test("A relay that refuses EHLO gets HELO instead (RFC 5321 §3.2)")
    func fallsBackToHELO() async throws {
        let sink = try await SMTPSink.start(refusingEHLO: true)
        let message = try sampleMessage()
        _ = try await Self.send(message, port: sink.port).get()
        #expect(try sink.received(1).parsed.heloName == "byneed.example")
    }

    @Test("A 451 to RCPT TO is a transient rejection that carries the relay's whole reply")
    func temporaryRejectionIsTransient() async throws {
        let sink = try await SMTPSink.start()
        let error = try Self.failure(try await Self.send(sampleMessage(to: "tempfail@example.dk"), port: sink.port))
        #expect(error == .rejected(.rcptTo, SMTPReply(code: 451, lines: ["4.3.0 Mailbox busy (sink)", "4.3.0 Try again later"])))
        #expect(error.isTransient)
        #expect("\(error)" == "SMTP relay refused while sending RCPT TO: 451 4.3.0 Mailbox busy (sink) / 4.3.0 Try again later")
        #expect(try sink.receivedCount() == 0)
    }

    @Test("A 550 to RCPT TO is a permanent rejection")
    func permanentRejectionIsPermanent() async throws {
        let sink = try await SMTPSink.start()
        let error = try Self.failure(try await Self.send(sampleMessage(to: "reject@example.dk"), port: sink.port))
        #expect(error == .rejected(.rcptTo, SMTPReply(code: 550, lines: ["5.1.1 No such user (sink)", "5.1.1 Mailbox unavailable"])))
        #expect(!error.isTransient)
        #expect(try sink.receivedCount() == 0)
    }

    @Test("A port nobody listens on gives a transient connection failure")
    func closedPortIsTransient() async throws {
        let closed = try LocalSocket(listening: false)
        let error = try Self.failure(try await Self.send(sampleMessage(), port: closed.port))
        #expect(error == .connectionFailed(host: "127.0.0.1", port: closed.port, errno: ECONNREFUSED))
        #expect(error.isTransient)
    }

    @Test("A server that accepts and never answers times out waiting for the greeting, transiently")
    func silentServerTimesOut() async throws {
        let silent = try LocalSocket(listening: true)
        let error = try Self.failure(try await Self.send(sampleMessage(), port: silent.port))
        #expect(error == .timedOut(.greeting, after: Self.timeouts.reply))
        #expect(error.isTransient)
    }

    @Test("A host that does not resolve gives a transient error naming it")
    func unresolvableHost() async throws {
        let relay = try SMTPRelay(host: "relay.invalid", port: 25, heloName: "byneed.example", timeouts: Self.timeouts)
        let message = try sampleMessage()
        let result = await onOwnThread { Result { () throws(DeliveryError) in try relay.send(message) } }
        guard case .failure(.unresolvableHost("relay.invalid", _)) = result else {
            Issue.record("expected unresolvableHost, got \(result)")
            return
        }
    }
}
