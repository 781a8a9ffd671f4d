import Foundation
import Testing
@testable import Delivery

/// Sends over a real socket to a real SMTP server (aiosmtpd, started per test). Enabled when
/// `BYNEED_PYTHON` names an interpreter with aiosmtpd installed: the acceptance venv's
/// `.venv/bin/python` (Tests/Acceptance/requirements.txt).
@Suite(.enabled(if: SMTPSink.python != nil, "needs BYNEED_PYTHON with aiosmtpd"))
struct LiveRelayTests {
    @Test("A Danish message arrives intact: same bytes, same subject, names and body after parsing")
    func deliversDanishMessage() async throws {
        let sink = try await SMTPSink.start()
        let text = "Kære Søren Ærø,\n\nDu er inviteret til at besvare spørgeskemaet om søvn.\nMed venlig hilsen\nAfdeling Å = \"æble\" "
        let message = try sampleMessage(subject: "Påmindelse: spørgeskema om søvn, smerter og træthed før næste kontrol i Ærøskøbing",
                                        text: text, fromName: "Odense Universitetshospital, Afd. Ø", toName: "Søren Ærø")
        let receipt = try await send(message, port: sink.port).get()
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
        _ = try await send(message, port: sink.port).get()
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
        _ = try await send(message, port: sink.port).get()
        #expect(try sink.received(1).parsed.heloName == "byneed.example")
    }

    @Test("A 451 to RCPT TO is a transient rejection that carries the relay's whole reply")
    func temporaryRejectionIsTransient() async throws {
        let sink = try await SMTPSink.start()
        let error = try failure(of: await send(sampleMessage(to: "tempfail@example.dk"), port: sink.port))
        #expect(error == .rejected(.rcptTo, SMTPReply(code: 451, lines: ["4.3.0 Mailbox busy (sink)", "4.3.0 Try again later"])))
        #expect(error.isTransient)
        #expect("\(error)" == "SMTP relay refused while sending RCPT TO: 451 4.3.0 Mailbox busy (sink) / 4.3.0 Try again later")
        #expect(try sink.receivedCount() == 0)
    }

    @Test("A 550 to RCPT TO is a permanent rejection")
    func permanentRejectionIsPermanent() async throws {
        let sink = try await SMTPSink.start()
        let error = try failure(of: await send(sampleMessage(to: "reject@example.dk"), port: sink.port))
        #expect(error == .rejected(.rcptTo, SMTPReply(code: 550, lines: ["5.1.1 No such user (sink)", "5.1.1 Mailbox unavailable"])))
        #expect(!error.isTransient)
        #expect(try sink.receivedCount() == 0)
    }
}
