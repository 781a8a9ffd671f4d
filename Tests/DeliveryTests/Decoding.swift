/// Independent decoders for the tests' round trips: what a mail reader does with our output.
enum Decoding {
    /// Quoted-printable (RFC 2045 §6.7) back to bytes: soft breaks removed, `=XX` resolved,
    /// hard CRLF kept.
    static func quotedPrintable(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "="), index + 2 < bytes.count,
               bytes[index + 1] == UInt8(ascii: "\r"), bytes[index + 2] == UInt8(ascii: "\n") {
                index += 3
            } else if bytes[index] == UInt8(ascii: "="), index + 2 < bytes.count,
                      let byte = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                output.append(byte)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }

    /// The text of one Q-encoded UTF-8 encoded-word (RFC 2047 §4.2), or nil when it is not one
    /// or its bytes alone are not valid UTF-8 (a character split between words).
    static func encodedWord(_ word: Substring) -> String? {
        guard word.hasPrefix("=?UTF-8?Q?"), word.hasSuffix("?=") else { return nil }
        let payload = word.dropFirst(10).dropLast(2).replacing("_", with: " ")
        return String(validating: quotedPrintable(String(payload)), as: UTF8.self)
    }
}
