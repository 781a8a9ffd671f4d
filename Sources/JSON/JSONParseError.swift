/// Why a document is not strict RFC 8259 JSON, and where.
///
/// Line and column are 1-based; the column counts bytes of UTF-8 on that line, which is
/// what editors show for ASCII JSON and is stable for any input.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, in plain words.
    public enum Reason: Sendable, Hashable {
        case unexpectedEnd
        case unexpectedCharacter(String)
        case invalidNumber
        case invalidEscape
        case invalidUnicodeEscape
        case loneSurrogate
        case controlCharacterInString
        case invalidUTF8
        case duplicateKey(String)
        case tooDeep(limit: Int)
        case trailingContent
    }

    public let reason: Reason
    /// 1-based line of the offending byte.
    public let line: Int
    /// 1-based byte column of the offending byte on its line.
    public let column: Int

    public init(reason: Reason, line: Int, column: Int) {
        self.reason = reason
        self.line = line
        self.column = column
    }

    /// The problem in plain words, without position.
    public var message: String {
        switch reason {
        case .unexpectedEnd: "the document ends too early"
        case .unexpectedCharacter(let character): "unexpected character \(character)"
        case .invalidNumber: "invalid number (RFC 8259 §6: no leading zeros, digits after '.', digits in exponent)"
        case .invalidEscape: "invalid escape sequence in string"
        case .invalidUnicodeEscape: "\\u must be followed by four hexadecimal digits"
        case .loneSurrogate: "unpaired UTF-16 surrogate in \\u escape"
        case .controlCharacterInString: "control character in string (must be escaped)"
        case .invalidUTF8: "invalid UTF-8"
        case .duplicateKey(let key): "duplicate object key \"\(key)\""
        case .tooDeep(let limit): "nesting deeper than \(limit) levels"
        case .trailingContent: "content after the end of the JSON value"
        }
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}
