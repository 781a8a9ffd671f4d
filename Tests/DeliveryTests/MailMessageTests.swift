import Foundation
import Testing
@testable import Delivery

/// A message with fixed date and Message-ID, so its rendering can be compared byte for byte.
func sampleMessage(subject: String = "Påmindelse om spørgeskema", text: String = "Kære patient,\nhusk at svare.",
                   html: String? = nil, fromName: String? = "Odense Universitetshospital",
                   to: String = "patient@example.dk", toName: String? = nil) throws -> MailMessage {
    try MailMessage(from: MailAddress("noreply@byneed.example", displayName: fromName),
                    to: MailAddress(to, displayName: toName),
                    subject: subject, textBody: text, htmlBody: html,
                    date: Date(timeIntervalSince1970: 1_795_325_111), messageIDDomain: "byneed.example",
                    messageIDLocalPart: "0123456789abcdef0123456789abcdef")
}

@Test("A text message renders to the exact RFC 5322 bytes")
func renderedTextMessage() throws {
    let expected = [
        "Date: Sun, 22 Nov 2026 05:25:11 +0000",
        "From: Odense Universitetshospital <noreply@byneed.example>",
        "To: <patient@example.dk>",
        "Subject: =?UTF-8?Q?P=C3=A5mindelse_om_sp=C3=B8rgeskema?=",
        "Message-ID: <0123456789abcdef0123456789abcdef@byneed.example>",
        "Auto-Submitted: auto-generated",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "K=C3=A6re patient,",
        "husk at svare.",
        "",
    ].joined(separator: "\r\n")
    #expect(String(decoding: try sampleMessage().rendered(), as: UTF8.self) == expected)
}

@Test("A message with HTML renders as multipart/alternative, text first (RFC 2046 §5.1.4)")
func renderedMultipartMessage() throws {
    let message = try sampleMessage(text: "Svar her: https://x.dk/q/a=b", html: "<p>Svar <a href=\"https://x.dk/q/a=b\">her</a></p>")
    let expected = [
        "Date: Sun, 22 Nov 2026 05:25:11 +0000",
        "From: Odense Universitetshospital <noreply@byneed.example>",
        "To: <patient@example.dk>",
        "Subject: =?UTF-8?Q?P=C3=A5mindelse_om_sp=C3=B8rgeskema?=",
        "Message-ID: <0123456789abcdef0123456789abcdef@byneed.example>",
        "Auto-Submitted: auto-generated",
        "MIME-Version: 1.0",
        "Content-Type: multipart/alternative; boundary=\"=_ByNeed_alternative\"",
        "",
        "--=_ByNeed_alternative",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "Svar her: https://x.dk/q/a=3Db",
        "--=_ByNeed_alternative",
        "Content-Type: text/html; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "<p>Svar <a href=3D\"https://x.dk/q/a=3Db\">her</a></p>",
        "--=_ByNeed_alternative--",
        "",
    ].joined(separator: "\r\n")
    #expect(String(decoding: message.rendered(), as: UTF8.self) == expected)
}

@Test("Rendered messages are 7-bit, CRLF only, with lines of at most 76 characters", arguments: [
    ("Kort", "æ", nil),
    (String(repeating: "Spørgeskema ", count: 12), String(repeating: "Lang linje med æøå. ", count: 20), "<p>" + String(repeating: "ø", count: 300) + "</p>"),
    ("Punktum", ".\n..\n.skjult\n", "."),
] as [(String, String, String?)])
func renderedMessageShape(subject: String, text: String, html: String?) throws {
    let bytes = try sampleMessage(subject: subject, text: text, html: html, toName: "Søren Østergård Ærøskøbing-Andersen").rendered()
    #expect(bytes.allSatisfy { $0 < 0x80 })
    #expect(bytes.suffix(2) == [0x0D, 0x0A])
    let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
    #expect(lines.allSatisfy { !$0.utf8.contains(0x0D) && !$0.utf8.contains(0x0A) })
    #expect(lines.filter { $0.utf8.count > 76 } == [])
}

@Test("Line breaks in header values are refused, so no header can be injected", arguments: [
    "Hej\r\nBcc: victim@example.dk",
    "Hej\nBcc: victim@example.dk",
    "Hej\rBcc: victim@example.dk",
    "\r\n",
])
func headerInjectionRefused(value: String) {
    #expect(throws: DeliveryError.lineBreakInHeader(field: "subject")) { try sampleMessage(subject: value) }
    #expect(throws: DeliveryError.lineBreakInHeader(field: "display name")) { try sampleMessage(fromName: value) }
    #expect(throws: DeliveryError.lineBreakInHeader(field: "display name")) { try sampleMessage(toName: value) }
}

@Test("Message-ID parts must be a domain name and a plain local part", arguments: [
    ("byneed.example\r\nBcc: x@y.dk", "abc", "byneed.example\r\nBcc: x@y.dk", AddressProblem.forbiddenCharacter("\r")),
    ("byneed example", "abc", "byneed example", .forbiddenCharacter(" ")),
    ("byneed.example", "", "", .empty),
    ("byneed.example", "a+b", "a+b", .forbiddenCharacter("+")),
    ("byneed.example", "a>b", "a>b", .forbiddenCharacter(">")),
    ("byneed.example", "a..b", "a..b", .misplacedDot),
    ("byneed.example", String(repeating: "a", count: 65), String(repeating: "a", count: 65), .localPartTooLong(octets: 65)),
])
func invalidMessageID(domain: String, localPart: String, offending: String, problem: AddressProblem) throws {
    let sender = try MailAddress("a@b.dk")
    #expect(throws: DeliveryError.invalidMessageID(offending, problem)) {
        try MailMessage(from: sender, to: sender, subject: "s", textBody: "b", date: Date(timeIntervalSince1970: 0),
                        messageIDDomain: domain, messageIDLocalPart: localPart)
    }
}

@Test("A new message gets a random 128-bit Message-ID left part, different every time")
func randomMessageID() throws {
    let sender = try MailAddress("a@b.dk")
    let make = { () throws -> MailMessage in
        try MailMessage(from: sender, to: sender, subject: "s", textBody: "b", date: Date(), messageIDDomain: "byneed.example")
    }
    let first = try make()
    let second = try make()
    #expect(first.messageIDLocalPart.utf8.count == 32)
    #expect(first.messageIDLocalPart.allSatisfy { $0.isHexDigit })
    #expect(first.messageID != second.messageID)
    #expect(first.messageID.hasSuffix("@byneed.example>"))
}

@Test("Rendering is a pure function of the message, so a retry sends the same bytes")
func renderingIsRepeatable() throws {
    let sender = try MailAddress("a@b.dk")
    let message = try MailMessage(from: sender, to: sender, subject: "s", textBody: "b", htmlBody: "<p>b</p>",
                                  date: Date(), messageIDDomain: "byneed.example")
    #expect(message.rendered() == message.rendered())
}

@Test("Dates follow RFC 5322 §3.3 in UTC with whole seconds", arguments: [
    (0.0, "Thu, 01 Jan 1970 00:00:00 +0000"),
    (-1, "Wed, 31 Dec 1969 23:59:59 +0000"),
    (951_782_400, "Tue, 29 Feb 2000 00:00:00 +0000"),
    (1_795_325_111.999, "Sun, 22 Nov 2026 05:25:11 +0000"),
    (1_835_395_200, "Tue, 29 Feb 2028 00:00:00 +0000"),
])
func mailDate(seconds: Double, expected: String) {
    #expect(MailDate.format(Date(timeIntervalSince1970: seconds)) == expected)
}
