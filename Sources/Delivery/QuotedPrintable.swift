/// Quoted-printable encoding of text bodies (RFC 2045 §6.7), which keeps Danish letters intact
/// through any 7-bit mail path while plain ASCII text stays readable.
enum QuotedPrintable {
    /// Longest encoded line, not counting its CRLF (RFC 2045 §6.7 rule 5).
    static let maximumLineLength = 76

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Encodes `text` as UTF-8 quoted-printable with CRLF line breaks.
    ///
    /// Each line break of the text (CRLF, LF or a lone CR) becomes a hard CRLF. `=`, bytes
    /// outside printable ASCII other than a space or tab inside a line, and a space or tab at
    /// the end of a line are written `=XX` (rules 1–3); longer lines are cut with soft breaks (`=` CRLF) so that no line exceeds
    /// ``maximumLineLength`` and no `=XX` is split. The result has no final line break.
    static func encode(_ text: String) -> String {
        lines(of: Array(text.utf8)).map(encode(line:)).joined(separator: "\r\n")
    }

    /// Splits UTF-8 text at CRLF, LF and lone CR.
    private static func lines(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\r"):
                lines.append(bytes[start..<index])
                index += index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n") ? 2 : 1
                start = index
            case UInt8(ascii: "\n"):
                lines.append(bytes[start..<index])
                index += 1
                start = index
            default:
                index += 1
            }
        }
        lines.append(bytes[start...])
        return lines
    }

    /// One hard line, with soft line breaks where needed.
    private static func encode(line: ArraySlice<UInt8>) -> String {
        var output: [UInt8] = []
        var lineLength = 0
        for (offset, byte) in zip(line.indices, line) {
            let isLast = offset == line.index(before: line.endIndex)
            let token = encode(byte, atLineEnd: isLast)
            // A soft break takes one column ("="), so only the last token may use column 76.
            let limit = isLast ? maximumLineLength : maximumLineLength - 1
            if lineLength + token.count > limit {
                output += Array("=\r\n".utf8)
                lineLength = 0
            }
            output += token
            lineLength += token.count
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func encode(_ byte: UInt8, atLineEnd: Bool) -> [UInt8] {
        let isWhitespace = byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
        let isLiteral = (33...126).contains(byte) && byte != UInt8(ascii: "=")
        if isLiteral || (isWhitespace && !atLineEnd) { return [byte] }
        return escaped(byte)
    }

    /// `=XX` with uppercase hex digits (RFC 2045 §6.7 rule 1).
    static func escaped(_ byte: UInt8) -> [UInt8] {
        [UInt8(ascii: "="), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
    }
}
