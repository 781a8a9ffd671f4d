/// Builds header fields of 7-bit text: RFC 2047 encoded-words for text that is not plain
/// ASCII, and folding (RFC 5322 §2.2.3) so that lines stay within ``maximumLineLength``.
enum HeaderField {
    /// Longest header line we write. RFC 5322 §2.1.1 asks for 78; RFC 2047 §2 allows 76 for
    /// lines that hold encoded-words, and one limit for both keeps the rule simple.
    static let maximumLineLength = 76
    /// Longest encoded-word (RFC 2047 §2).
    static let maximumEncodedWordLength = 75

    private static let encodedWordPrefix = "=?UTF-8?Q?"
    private static let encodedWordSuffix = "?="
    /// Characters a Q-encoded word may carry literally in any position, including a phrase
    /// (RFC 2047 §5 rule 3); everything else is `=XX`, and a space is `_`.
    private static let literalInQ = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/".utf8)

    /// `name: value` for unstructured text such as `Subject` (RFC 5322 §3.6.5).
    ///
    /// Printable ASCII that fits on one line is written as it is; anything else (non-ASCII,
    /// a `=?` that a reader would take for an encoded-word, leading or trailing spaces, or
    /// text too long for one line) becomes encoded-words.
    static func unstructured(_ name: String, _ value: String) -> String {
        let fitsAsIs = name.utf8.count + 2 + value.utf8.count <= maximumLineLength
            && isPlain(value) && value.first != " " && value.last != " "
        if fitsAsIs { return "\(name): \(value)" }
        return fold(name, encodedWords(value, firstLineUsed: name.utf8.count + 1))
    }

    /// `name: display name <address>` for a mailbox (RFC 5322 §3.4).
    ///
    /// The display name is written as atoms (RFC 5322 §3.2.3 `atext`) when it is atoms
    /// separated by single spaces, as a quoted string when it is other printable ASCII that
    /// fits on the line, and as encoded-words otherwise.
    static func mailbox(_ name: String, _ mailbox: MailAddress) -> String {
        let address = "<\(mailbox.address)>"
        guard let displayName = mailbox.displayName else { return "\(name): \(address)" }
        let words = displayName.split(separator: " ", omittingEmptySubsequences: false)
        if isPlain(displayName), words.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy(MailAddress.isAtext) }) {
            return fold(name, words.map(String.init) + [address])
        }
        let quoted = "\"" + displayName.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
        if isPlain(displayName), name.utf8.count + 2 + quoted.utf8.count <= maximumLineLength {
            return fold(name, [quoted, address])
        }
        return fold(name, encodedWords(displayName, firstLineUsed: name.utf8.count + 1) + [address])
    }

    /// Whether `text` is printable ASCII without a `=?` that a reader would take for the start
    /// of an encoded-word, so that it can be written as it is.
    private static func isPlain(_ text: String) -> Bool {
        text.utf8.allSatisfy { (0x20...0x7E).contains($0) } && !text.contains("=?")
    }

    /// `name:` and the tokens separated by single spaces, moving a token to a continuation line
    /// (CRLF SP) when it would pass ``maximumLineLength``.
    static func fold(_ name: String, _ tokens: [String]) -> String {
        var text = name + ":"
        var lineLength = text.utf8.count
        var lineHasToken = false
        for token in tokens {
            if lineLength + 1 + token.utf8.count > maximumLineLength, lineHasToken {
                text += "\r\n"
                lineLength = 0
            }
            text += " " + token
            lineLength += 1 + token.utf8.count
            lineHasToken = true
        }
        return text
    }

    /// `text` as Q-encoded UTF-8 encoded-words (RFC 2047 §4.2), none splitting a character
    /// (§5 rule 3); the first is short enough to follow `firstLineUsed` columns and a space.
    static func encodedWords(_ text: String, firstLineUsed: Int) -> [String] {
        let overhead = encodedWordPrefix.utf8.count + encodedWordSuffix.utf8.count
        var words: [String] = []
        var payload: [UInt8] = []
        var limit = min(maximumEncodedWordLength, maximumLineLength - firstLineUsed - 1) - overhead
        for scalar in text.unicodeScalars {
            let encoded = Array(String(scalar).utf8).flatMap(qEncoded)
            if payload.count + encoded.count > limit, !payload.isEmpty {
                words.append(encodedWord(payload))
                payload = []
                limit = maximumEncodedWordLength - overhead
            }
            payload += encoded
        }
        if !payload.isEmpty { words.append(encodedWord(payload)) }
        return words
    }

    private static func encodedWord(_ payload: [UInt8]) -> String {
        encodedWordPrefix + String(decoding: payload, as: UTF8.self) + encodedWordSuffix
    }

    private static func qEncoded(_ byte: UInt8) -> [UInt8] {
        if byte == UInt8(ascii: " ") { return [UInt8(ascii: "_")] }
        if literalInQ.contains(byte) { return [byte] }
        return QuotedPrintable.escaped(byte)
    }
}
