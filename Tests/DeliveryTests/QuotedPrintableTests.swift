import Testing
@testable import Delivery

@Test("Quoted-printable escapes what it must and keeps the rest readable (RFC 2045 §6.7)", arguments: [
    ("", ""),
    ("Hej", "Hej"),
    ("a=b", "a=3Db"),
    ("==", "=3D=3D"),
    ("trailing space ", "trailing space=20"),
    ("trailing tab\t", "trailing tab=09"),
    ("inner  spaces\tstay", "inner  spaces\tstay"),
    (" ", "=20"),
    ("æøå ÆØÅ", "=C3=A6=C3=B8=C3=A5 =C3=86=C3=98=C3=85"),
    ("one\ntwo \r\nthree\rfour", "one\r\ntwo=20\r\nthree\r\nfour"),
    ("end\n", "end\r\n"),
    ("\r\n\r\n", "\r\n\r\n"),
    (".starts with a dot", ".starts with a dot"),
    ("nul\u{0}bell\u{7}", "nul=00bell=07"),
    (String(repeating: "a", count: 76), String(repeating: "a", count: 76)),
    (String(repeating: "a", count: 77), String(repeating: "a", count: 75) + "=\r\naa"),
    (String(repeating: "a", count: 74) + "æ", String(repeating: "a", count: 74) + "=\r\n=C3=A6"),
    (String(repeating: "a", count: 73) + "æ", String(repeating: "a", count: 73) + "=\r\n=C3=A6"),
    (String(repeating: "a", count: 72) + "æ", String(repeating: "a", count: 72) + "=C3=\r\n=A6"),
    (String(repeating: "a", count: 75) + " ", String(repeating: "a", count: 75) + "=\r\n=20"),
    (String(repeating: "a", count: 73) + " ", String(repeating: "a", count: 73) + "=20"),
    (String(repeating: "a", count: 72) + "=", String(repeating: "a", count: 72) + "=3D"),
    (String(repeating: "a", count: 74) + "=b", String(repeating: "a", count: 74) + "=\r\n=3Db"),
])
func quotedPrintableEncoding(input: String, expected: String) {
    #expect(QuotedPrintable.encode(input) == expected)
}

@Test("Quoted-printable lines never exceed 76 characters and decode back to the text", arguments: [
    "Kære patient,\nDu er inviteret til at besvare et spørgeskema om din søvn.\nSvar venligst inden fredag.",
    String(repeating: "æ", count: 200),
    String(repeating: "ø ", count: 100),
    String(repeating: "=", count: 150) + "\n" + String(repeating: " ", count: 90),
    "🙂 emoji: " + String(repeating: "🇩🇰", count: 30),
    String(repeating: "abc\t", count: 40) + "\r\n..\r\n.",
])
func quotedPrintableRoundTrip(text: String) {
    let encoded = QuotedPrintable.encode(text)
    let lines = encoded.split(separator: "\r\n", omittingEmptySubsequences: false)
    #expect(lines.allSatisfy { $0.utf8.count <= QuotedPrintable.maximumLineLength })
    #expect(encoded.utf8.allSatisfy { $0 < 0x80 })
    #expect(lines.allSatisfy { $0.last != " " && $0.last != "\t" })
    let normalized = text.replacing("\r\n", with: "\n").replacing("\r", with: "\n").replacing("\n", with: "\r\n")
    #expect(Decoding.quotedPrintable(encoded) == Array(normalized.utf8))
}
