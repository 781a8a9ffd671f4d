import Testing
@testable import Delivery

@Test("Subjects: printable ASCII as it is, anything else as Q encoded-words (RFC 2047)", arguments: [
    ("Invitation", "Subject: Invitation"),
    ("Hello  world", "Subject: Hello  world"),
    ("", "Subject: "),
    ("Påmindelse", "Subject: =?UTF-8?Q?P=C3=A5mindelse?="),
    ("Svar på spørgeskema", "Subject: =?UTF-8?Q?Svar_p=C3=A5_sp=C3=B8rgeskema?="),
    ("Æbler, ører & Ål?", "Subject: =?UTF-8?Q?=C3=86bler=2C_=C3=B8rer_=26_=C3=85l=3F?="),
    ("a =?x?= b", "Subject: =?UTF-8?Q?a_=3D=3Fx=3F=3D_b?="),
    (" leading space", "Subject: =?UTF-8?Q?_leading_space?="),
    ("under_score", "Subject: under_score"),
    ("tab\there", "Subject: =?UTF-8?Q?tab=09here?="),
])
func subjectEncoding(subject: String, expected: String) {
    #expect(HeaderField.unstructured("Subject", subject) == expected)
}

@Test("Long subjects fold into encoded-words of whole characters on lines of at most 76", arguments: [
    "Påmindelse: husk at besvare spørgeskemaet om søvn, smerter og træthed før næste kontrol på afdelingen",
    String(repeating: "ø", count: 60),
    String(repeating: "a", count: 70) + " and then some plain ASCII that is too long for one line",
    "Emoji 🇩🇰🇩🇰🇩🇰🇩🇰🇩🇰🇩🇰🇩🇰🇩🇰🇩🇰🇩🇰🇩🇰🇩🇰🇩🇰🇩🇰🇩🇰🇩🇰 og æøå",
])
func longSubjectFolding(subject: String) throws {
    let field = HeaderField.unstructured("Subject", subject)
    let lines = field.split(separator: "\r\n")
    #expect(lines.count > 1)
    #expect(lines.allSatisfy { $0.utf8.count <= HeaderField.maximumLineLength })
    #expect(lines.dropFirst().allSatisfy { $0.first == " " })
    let words = field.dropFirst("Subject:".count).split(whereSeparator: { $0 == " " || $0 == "\r\n" })
    #expect(words.allSatisfy { $0.utf8.count <= HeaderField.maximumEncodedWordLength })
    let decoded = try words.map { try #require(Decoding.encodedWord($0), "not a whole-character encoded-word: \($0)") }
    #expect(decoded.joined() == subject)
}

@Test("Mailboxes: atoms, quoted strings or encoded-words for the display name (RFC 5322 §3.4)", arguments: [
    (nil, "From: <noreply@byneed.dk>"),
    ("ByNeed", "From: ByNeed <noreply@byneed.dk>"),
    ("Odense Universitetshospital", "From: Odense Universitetshospital <noreply@byneed.dk>"),
    ("Region Syddanmark, Odense", "From: \"Region Syddanmark, Odense\" <noreply@byneed.dk>"),
    ("Anne \"A\" Berg\\", "From: \"Anne \\\"A\\\" Berg\\\\\" <noreply@byneed.dk>"),
    ("Søren Ærø", "From: =?UTF-8?Q?S=C3=B8ren_=C3=86r=C3=B8?= <noreply@byneed.dk>"),
    ("Two  spaces", "From: \"Two  spaces\" <noreply@byneed.dk>"),
    ("=?UTF-8?Q?fake?=", "From: =?UTF-8?Q?=3D=3FUTF-8=3FQ=3Ffake=3F=3D?= <noreply@byneed.dk>"),
] as [(String?, String)])
func mailboxEncoding(displayName: String?, expected: String) throws {
    let mailbox = try MailAddress("noreply@byneed.dk", displayName: displayName)
    #expect(HeaderField.mailbox("From", mailbox) == expected)
}

@Test("A long display name folds before the address, keeping every line within 76")
func longDisplayNameFolds() throws {
    let mailbox = try MailAddress("ambulatorium.for.sjaeldne.sygdomme@ouh.regionsyddanmark.dk",
                                  displayName: "Ambulatorium for sjældne sygdomme, Odense Universitetshospital")
    let field = HeaderField.mailbox("To", mailbox)
    let lines = field.split(separator: "\r\n")
    #expect(lines.count > 1)
    #expect(lines.allSatisfy { $0.utf8.count <= HeaderField.maximumLineLength })
    #expect(lines.last == " <ambulatorium.for.sjaeldne.sygdomme@ouh.regionsyddanmark.dk>")
}
