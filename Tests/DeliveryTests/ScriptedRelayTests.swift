import Glibc
import Testing
@testable import Delivery

/// The client over real loopback sockets without Python: scripted replies, a refused port, a
/// listener that never answers, and a host name that cannot resolve (RFC 6761 §6.4).
struct ScriptedRelayTests {
    private static let accepting = ["220 scripted ESMTP", "250 scripted", "250 2.1.0 Ok", "250 2.1.5 Ok", "354 go ahead", "250 2.0.0 queued as 42"]

    @Test("The client sends EHLO, MAIL FROM, RCPT TO, DATA, the dot-stuffed message and QUIT, in order")
    func conversation() async throws {
        let server = try ScriptedServer(replies: Self.accepting + ["221 bye"])
        let message = try sampleMessage(text: ".hidden")
        let receipt = try await send(message, port: server.port).get()
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
        let receipt = try await send(sampleMessage(), port: server.port).get()
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
        let error = try failure(of: await send(sampleMessage(), port: server.port))
        #expect(error == expected)
        #expect(error.isTransient == isTransient)
    }

    @Test("After a rejection the client says QUIT politely")
    func quitAfterRejection() async throws {
        let server = try ScriptedServer(replies: ["220 hi", "250 ok", "250 ok", "550 5.1.1 unknown", "221 bye"])
        _ = try await send(sampleMessage(), port: server.port)
        #expect(server.received.last == "QUIT")
    }

    @Test("A port nobody listens on gives a transient connection failure")
    func closedPortIsTransient() async throws {
        let closed = try LocalSocket(listening: false)
        let error = try failure(of: await send(sampleMessage(), port: closed.port))
        #expect(error == .connectionFailed(host: "127.0.0.1", port: closed.port, errno: ECONNREFUSED))
        #expect(error.isTransient)
    }

    @Test("A server that accepts and never answers times out waiting for the greeting, transiently")
    func silentServerTimesOut() async throws {
        let silent = try LocalSocket(listening: true)
        let error = try failure(of: await send(sampleMessage(), port: silent.port, timeouts: SMTPTimeouts(reply: .seconds(1))))
        #expect(error == .timedOut(.greeting, after: .seconds(1)))
        #expect(error.isTransient)
    }

    @Test("A relay that never answers the end of the message times out at that stage, transiently")
    func silentAfterMessage() async throws {
        let server = try ScriptedServer(replies: Array(Self.accepting.dropLast()), thenHangUp: false)
        let timeouts = SMTPTimeouts(connect: .seconds(10), reply: .seconds(10), write: .seconds(10), endOfData: .seconds(1))
        let error = try failure(of: await send(sampleMessage(), port: server.port, timeouts: timeouts))
        #expect(error == .timedOut(.messageContent, after: .seconds(1)))
        #expect(error.isTransient)
    }

    @Test("A host that does not resolve gives a transient error naming it")
    func unresolvableHost() async throws {
        let error = try failure(of: await send(sampleMessage(), host: "relay.invalid", port: 25))
        guard case .unresolvableHost("relay.invalid", _) = error else {
            Issue.record("expected unresolvableHost, got \(error)")
            return
        }
        #expect(error.isTransient)
    }
}
