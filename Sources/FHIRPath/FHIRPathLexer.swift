import Foundation

/// One token of a FHIRPath expression with the character offset where it starts.
struct FHIRPathToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// A plain identifier or keyword (`name`, `and`, `true`).
        case identifier(String)
        /// A backtick-delimited identifier: never a keyword.
        case delimitedIdentifier(String)
        case string(String)
        /// A number literal as written (`3`, `1.50`).
        case number(String)
        case temporal(FHIRPathTemporal)
        /// `%name`, `%'quoted'` or `` %`quoted` ``.
        case variable(String)
        /// `$this`, `$index`, `$total`.
        case special(String)
        /// An operator or punctuation (`.`, `<=`, `(` …).
        case symbol(String)
        case end
    }

    let kind: Kind
    let position: Int
}

/// Splits FHIRPath source into tokens (FHIRPath N1 Appendix "Grammar": lexer rules).
struct FHIRPathLexer {
    private let characters: [Character]
    private var index = 0

    init(_ source: String) {
        self.characters = Array(source)
    }

    /// Every token of the source, ending with `.end`.
    static func tokens(_ source: String) throws(FHIRPathError) -> [FHIRPathToken] {
        var lexer = FHIRPathLexer(source)
        var tokens: [FHIRPathToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private static let twoCharacterSymbols: Set<String> = ["<=", ">=", "!=", "!~"]
    private static let oneCharacterSymbols: Set<Character> = [".", "[", "]", "(", ")", "{", "}", ",", "+", "-", "*", "/",
                                                              "&", "|", "=", "~", "<", ">"]

    private func peek(_ offset: Int = 0) -> Character? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    private static func isIdentifierStart(_ character: Character) -> Bool {
        character == "_" || (character.isASCII && character.isLetter)
    }

    private static func isIdentifierPart(_ character: Character) -> Bool {
        isIdentifierStart(character) || (character.isASCII && character.isNumber)
    }

    private static func isDigit(_ character: Character?) -> Bool {
        guard let character else { return false }
        return character.isASCII && character.isNumber
    }

    private mutating func next() throws(FHIRPathError) -> FHIRPathToken {
        try skipWhitespaceAndComments()
        let start = index
        guard let character = peek() else { return FHIRPathToken(kind: .end, position: start) }
        func token(_ kind: FHIRPathToken.Kind) -> FHIRPathToken { FHIRPathToken(kind: kind, position: start) }
        if Self.isIdentifierStart(character) {
            return token(.identifier(identifier()))
        }
        if Self.isDigit(character) {
            return token(.number(number()))
        }
        switch character {
        case "'":
            return token(.string(try quoted("'")))
        case "`":
            return token(.delimitedIdentifier(try quoted("`")))
        case "@":
            index += 1
            let text = temporalText()
            guard let value = FHIRPathTemporal.parse(text) else {
                throw .syntax(position: start, message: "'@\(text)' is not a valid date, dateTime or time")
            }
            return token(.temporal(value))
        case "%":
            index += 1
            switch peek() {
            case "'": return token(.variable(try quoted("'")))
            case "`": return token(.variable(try quoted("`")))
            case let next? where Self.isIdentifierStart(next): return token(.variable(identifier()))
            default: throw .syntax(position: start, message: "'%' must be followed by a variable name")
            }
        case "$":
            index += 1
            let name = peek().map(Self.isIdentifierStart) == true ? identifier() : ""
            guard ["this", "index", "total"].contains(name) else {
                throw .syntax(position: start, message: "unknown special variable '$\(name)'; use $this, $index or $total")
            }
            return token(.special(name))
        default:
            if let second = peek(1), Self.twoCharacterSymbols.contains(String([character, second])) {
                index += 2
                return token(.symbol(String([character, second])))
            }
            if Self.oneCharacterSymbols.contains(character) {
                index += 1
                return token(.symbol(String(character)))
            }
            throw .syntax(position: start, message: "unexpected character '\(character)'")
        }
    }

    private mutating func skipWhitespaceAndComments() throws(FHIRPathError) {
        while let character = peek() {
            if character.isWhitespace {
                index += 1
            } else if character == "/", peek(1) == "/" {
                while let next = peek(), !next.isNewline { index += 1 }
            } else if character == "/", peek(1) == "*" {
                let start = index
                index += 2
                while !(peek() == "*" && peek(1) == "/") {
                    guard peek() != nil else { throw .syntax(position: start, message: "comment is not closed with */") }
                    index += 1
                }
                index += 2
            } else {
                return
            }
        }
    }

    private mutating func identifier() -> String {
        let start = index
        while let character = peek(), Self.isIdentifierPart(character) { index += 1 }
        return String(characters[start..<index])
    }

    private mutating func number() -> String {
        let start = index
        while Self.isDigit(peek()) { index += 1 }
        if peek() == ".", Self.isDigit(peek(1)) {
            index += 1
            while Self.isDigit(peek()) { index += 1 }
        }
        return String(characters[start..<index])
    }

    /// The characters a date/time literal may use after `@`; the temporal parser checks the form.
    private mutating func temporalText() -> String {
        let start = index
        while let character = peek() {
            if Self.isDigit(character) || character == ":" || character == "T" || character == "Z" {
                index += 1
            } else if character == "-" || character == "+" || character == ".", Self.isDigit(peek(1)) {
                index += 1
            } else {
                break
            }
        }
        return String(characters[start..<index])
    }

    /// A string or delimited identifier body with its escapes resolved (N1 §"String": `\'`,
    /// `\"`, `` \` ``, `\\`, `\/`, `\f`, `\n`, `\r`, `\t`, `\uXXXX`).
    private mutating func quoted(_ quote: Character) throws(FHIRPathError) -> String {
        let start = index
        index += 1
        var text = ""
        while true {
            guard let character = peek() else {
                throw .syntax(position: start, message: "text starting here is not closed with \(quote)")
            }
            index += 1
            if character == quote { return text }
            guard character == "\\" else {
                text.append(character)
                continue
            }
            let escapeStart = index - 1
            guard let escaped = peek() else { continue }
            index += 1
            switch escaped {
            case "'", "\"", "`", "\\", "/": text.append(escaped)
            case "f": text.append("\u{0C}")
            case "n": text.append("\n")
            case "r": text.append("\r")
            case "t": text.append("\t")
            case "u":
                let hex = String(characters[index..<min(index + 4, characters.count)])
                guard hex.count == 4, let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
                    throw .syntax(position: escapeStart, message: "\\u must be followed by four hex digits")
                }
                index += 4
                text.unicodeScalars.append(scalar)
            default:
                throw .syntax(position: escapeStart, message: "unknown escape '\\\(escaped)'")
            }
        }
    }
}
