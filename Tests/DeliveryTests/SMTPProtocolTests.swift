import Testing
@testable import Delivery

@Test("The data section is dot-stuffed and ends with CRLF . CRLF (RFC 5321 §4.5.2)", arguments: [
    ("a\r\n", "a\r\n.\r\n"),
    (".\r\n", "..\r\n.\r\n"),
    ("a\r\n.b\r\n", "a\r\n..b\r\n.\r\n"),
    ("a\r\n..\r\nb.\r\n", "a\r\n...\r\nb.\r\n.\r\n"),
    ("no line break", "no line break\r\n.\r\n"),
    ("", ".\r\n"),
])
func dataSection(message: String, expected: String) {
    #expect(SMTPRelay.dataSection(Array(message.utf8)) == Array(expected.utf8))
}

@Test("Replies are read line by line, multi-line ones until the line without '-' (RFC 5321 §4.2.1)", arguments: [
    (["220 mail.example ESMTP"], SMTPReply(code: 220, lines: ["mail.example ESMTP"])),
    (["250"], SMTPReply(code: 250, lines: [""])),
    (["250-mail.example", "250-SIZE 1000", "250 HELP"], SMTPReply(code: 250, lines: ["mail.example", "SIZE 1000", "HELP"])),
    (["451-4.3.0 busy", "451 4.3.0 later"], SMTPReply(code: 451, lines: ["4.3.0 busy", "4.3.0 later"])),
    (["550 5.1.1 Brugeren findes ikke: søren"], SMTPReply(code: 550, lines: ["5.1.1 Brugeren findes ikke: søren"])),
])
func replyParsing(lines: [String], expected: SMTPReply) throws {
    var remaining = lines[...]
    let reply = try SMTPReply.read(at: .ehlo) { () throws(DeliveryError) -> [UInt8] in
        guard let line = remaining.popFirst() else { throw .connectionClosed(.ehlo) }
        return Array(line.utf8)
    }
    #expect(reply == expected)
    #expect(remaining.isEmpty)
}

@Test("Malformed replies are reported, not guessed at", arguments: [
    ["hello"], ["25"], ["600 too high"], ["150 too low"], ["2x0 letters"], ["250x no separator"],
    ["250-first", "251 code changed"],
    Array(repeating: "250-again", count: SMTPReply.maximumLines + 1),
])
func malformedReplies(lines: [String]) {
    var remaining = lines[...]
    #expect {
        _ = try SMTPReply.read(at: .greeting) { () throws(DeliveryError) -> [UInt8] in
            guard let line = remaining.popFirst() else { throw .connectionClosed(.greeting) }
            return Array(line.utf8)
        }
    } throws: { error in
        guard case .malformedReply(.greeting, _) = error as? DeliveryError else { return false }
        return true
    }
}

@Test("Reply text in errors is cut to a readable length")
func replyDescriptionTruncated() {
    let reply = SMTPReply(code: 550, lines: [String(repeating: "x", count: 1_000), "second"])
    #expect(reply.description.count == SMTPReply.maximumDescribedCharacters + 1)
    #expect(reply.description.hasPrefix("550 xxx"))
    #expect(SMTPReply(code: 451, lines: ["a", "b"]).description == "451 a / b")
}

@Test("Failures are split into transient (retry) and permanent (staff must look)", arguments: [
    (DeliveryError.rejected(.rcptTo, SMTPReply(code: 451, lines: [])), true),
    (.rejected(.greeting, SMTPReply(code: 421, lines: [])), true),
    (.rejected(.rcptTo, SMTPReply(code: 550, lines: [])), false),
    (.rejected(.messageContent, SMTPReply(code: 554, lines: [])), false),
    (.connectionFailed(host: "localhost", port: 25, errno: 111), true),
    (.timedOut(.greeting, after: .seconds(1)), true),
    (.connectionClosed(.messageContent), true),
    (.malformedReply(.ehlo, detail: "x"), true),
    (.unresolvableHost("smtp.invalid", detail: "x"), true),
    (.systemCall(name: "recv", errno: 5), true),
    (.invalidAddress("x", .missingAt), false),
    (.lineBreakInHeader(field: "subject"), false),
    (.invalidMessageID("x", .empty), false),
    (.invalidRelay(reason: "x"), false),
])
func failureClassification(error: DeliveryError, isTransient: Bool) {
    #expect(error.isTransient == isTransient)
}

@Test("A relay with an unusable host, port or HELO name is refused at configuration", arguments: [
    ("", 25, "byneed.example"),
    ("local host", 25, "byneed.example"),
    ("localhost", 0, "byneed.example"),
    ("localhost", 65_536, "byneed.example"),
    ("localhost", 25, "byneed example"),
    ("localhost", 25, "byneed.example\r\nMAIL FROM:<x@y.dk>"),
    ("localhost", 25, ""),
])
func invalidRelay(host: String, port: Int, heloName: String) {
    #expect {
        _ = try SMTPRelay(host: host, port: port, heloName: heloName)
    } throws: { error in
        guard case .invalidRelay = error as? DeliveryError else { return false }
        return true
    }
}
