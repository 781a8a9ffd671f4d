import Testing
@testable import Delivery

/// The client's side of the conversation against scripted replies over a real loopback socket.
struct ScriptedRelayTests {
    private static let accepting = ["220 scripted ESMTP", "250 scripted", "250 2.1.0 Ok", "250 2.1.5 Ok", "354 go ahead", "250 2.0.0 queued as 42"]

    private static func send(_ message: MailMessage, to server: ScriptedServer) async throws -> Result<SMTPReceipt, DeliveryError> {
        let relay = try SMTPRelay(host: "127.0.0.1", port: server.port, heloName: "byneed.example",
                                  timeouts: SMTPTimeouts(connect: .seconds(5), reply: .seconds(5), write: .seconds(5), endOfData: .seconds(5)))
        return await onOwnThread { Result { () throws(DeliveryError) in try relay.send(message) } }
    }

    @Test("The client sends EHLO, MAIL FROM, RCPT TO, DATA, the dot-stuffed message and QUIT, in order")
    func conversation() async throws {
        let server = try ScriptedServer(replies: Self.accepting + ["221 bye"])
        let message = try sampleMessage(text: ".hidden")
        let receipt = try await Self.send(message, to: server).get()
        #expect(receipt.reply == SMTPReply(code: 250, lines: ["2.0.0 queued as 42"]))
        let content = String(decoding: SMTPRelay.dataSection(message.rendered()).dropLast(5), as: UTF8.self)
        #expect(content.hasSuffix("\r\n\r\n..hidden"))
        #expect(server.received == [
            "EHLO byneed.example", "MAIL FROM:<noreply@byneed.example>", "RCPT TO:<patient@example.dk>", "DATA",
            content, "QUIT",
        ])
    }

    @Test("A relay that hangs up instead of answering QUIT still delivered the message")
    func quitFailureAfterAcceptance() async throws {
        let server = try ScriptedServer(replies: Self.accepting)
        let receipt = try await Self.send(sampleMessage(), to: server).get()
        #expect(receipt.reply.code == 250)
        #expect(server.received.last == "QUIT")
    }

    @Test("Negative, malformed and missing replies become classified errors at the right stage", arguments: [
        (["421 4.3.2 Service not available"], DeliveryError.rejected(.greeting, SMTPReply(code: 421, lines: ["4.3.2 Service not available"])), true),
        (["554 5.3.2 No service"], .rejected(.greeting, SMTPReply(code: 554, lines: ["5.3.2 No service"])), false),
        (["220 hi"], .connectionClosed(.ehlo), true),
        (["220 hi", "421 4.7.0 Too busy"], .rejected(.ehlo, SMTPReply(code: 421, lines: ["4.7.0 Too busy"])), true),
        (["220 hi", "502 no EHLO", "502 no HELO either"], .rejected(.helo, SMTPReply(code: 502, lines: ["no HELO either"])), false),
        (["220 hi", "hello there"], .malformedReply(.ehlo, detail: "not a reply line: 'hello there'"), true),
        (["220 hi", "250 ok", "553 5.1.8 Bad sender"], .rejected(.mailFrom, SMTPReply(code: 553, lines: ["5.1.8 Bad sender"])), false),
        (["220 hi", "250 ok", "250 ok", "250 ok", "250 ok"],
         .malformedReply(.data, detail: "expected 354, got 250 ok"), true),
        (Array(accepting.dropLast()) + ["554 5.7.1 Rejected as spam"],
         .rejected(.messageContent, SMTPReply(code: 554, lines: ["5.7.1 Rejected as spam"])), false),
        (Array(accepting.dropLast()), .connectionClosed(.messageContent), true),
    ] as [([String], DeliveryError, Bool)])
    func failures(replies: [String], expected: DeliveryError, isTransient: Bool) async throws {
        let server = try ScriptedServer(replies: replies)
        let result = try await Self.send(sampleMessage(), to: server)
        guard case .failure(let error) = result else {
            Issue.record("expected \(expected), the relay accepted the message")
            return
        }
        #expect(error == expected)
        #expect(error.isTransient == isTransient)
    }

    @Test("After a rejection the client says QUIT politely")
    func quitAfterRejection() async throws {
        let server = try ScriptedServer(replies: ["220 hi", "250 ok", "250 ok", "550 5.1.1 unknown", "221 bye"])
        _ = try await Self.send(sampleMessage(), to: server)
        #expect(server.received.last == "QUIT")
    }
}
