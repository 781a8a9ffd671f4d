// MARK: - Public entry points

extension JSON {
    /// The default nesting limit: deep enough for any FHIR resource, shallow enough that a
    /// hostile document cannot exhaust the stack of a recursive descent.
    public static let defaultMaxDepth = 256

    /// Parses one strict RFC 8259 JSON text from UTF-8 bytes.
    ///
    /// Beyond RFC 8259: duplicate object keys are rejected (FHIR R4 §2.6.2 JSON forbids them,
    /// and RFC 8259 §4 leaves them undefined), lone surrogates are rejected, and nesting is
    /// limited to `maxDepth` arrays/objects.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSON {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
        return try parser.parseDocument()
    }

    /// Parses one strict RFC 8259 JSON text from a string (see `parse(_:maxDepth:)` for bytes).
    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSON {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }
}

// MARK: - Parser

/// A recursive-descent parser over UTF-8 bytes that tracks line and column for errors.
private struct JSONParser {
    let bytes: [UInt8]
    let maxDepth: Int
    var index = 0
    var depth = 0

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> JSON {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw error(.trailingContent) }
        return value
    }

    // MARK: Values

    mutating func parseValue() throws(JSONParseError) -> JSON {
        guard index < bytes.count else { throw error(.unexpectedEnd) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw unexpected()
        }
    }

    mutating func parseObject() throws(JSONParseError) -> JSON {
        try enterContainer()
        index += 1
        var object = JSONObject()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw error(.unexpectedEnd) }
            guard bytes[index] == UInt8(ascii: "\"") else { throw unexpected() }
            let keyStart = index
            let key = try parseString()
            if object[key] != nil { throw error(.duplicateKey(key), at: keyStart) }
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            object[key] = try parseValue()
            skipWhitespace()
            guard index < bytes.count else { throw error(.unexpectedEnd) }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return .object(object)
            } else {
                throw unexpected()
            }
        }
    }

    mutating func parseArray() throws(JSONParseError) -> JSON {
        try enterContainer()
        index += 1
        var elements: [JSON] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw error(.unexpectedEnd) }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return .array(elements)
            } else {
                throw unexpected()
            }
        }
    }

    mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        if depth > maxDepth { throw error(.tooDeep(limit: maxDepth)) }
    }

    mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = index
        while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
        let literal = Array(bytes[start..<index])
        guard JSONNumber.isValidLiteral(literal) else { throw error(.invalidNumber, at: start) }
        return JSONNumber(validatedLiteral: String(decoding: literal, as: UTF8.self))
    }

    static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"),
             UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): true
        default: false
        }
    }

    // MARK: Strings

    mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        var text = ""
        var runStart = index
        while true {
            guard index < bytes.count else { throw error(.unexpectedEnd) }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                try appendRun(from: runStart, to: index, into: &text)
                index += 1
                return text
            case UInt8(ascii: "\\"):
                try appendRun(from: runStart, to: index, into: &text)
                text.unicodeScalars.append(try parseEscape())
                runStart = index
            case 0x00..<0x20:
                throw error(.controlCharacterInString)
            default:
                index += 1
            }
        }
    }

    /// Appends raw UTF-8 between escapes, rejecting malformed sequences (RFC 8259 §8.1). The
    /// whole run is validated and copied at once; only a malformed run is decoded scalar by
    /// scalar, to name the offset of the bad byte.
    func appendRun(from start: Int, to end: Int, into text: inout String) throws(JSONParseError) {
        guard start < end else { return }
        if let run = String(validating: bytes[start..<end], as: UTF8.self) {
            text += run
            return
        }
        var decoder = UTF8()
        var iterator = bytes[start..<end].makeIterator()
        var offset = start
        while case .scalarValue(let scalar) = decoder.decode(&iterator) {
            offset += UTF8.width(scalar)
        }
        throw error(.invalidUTF8, at: offset)
    }

    mutating func parseEscape() throws(JSONParseError) -> Unicode.Scalar {
        let escapeStart = index
        index += 1
        guard index < bytes.count else { throw error(.unexpectedEnd) }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let unit = try parseHex4()
            switch unit {
            case 0xD800...0xDBFF:
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw error(.loneSurrogate, at: escapeStart)
                }
                index += 2
                let low = try parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw error(.loneSurrogate, at: escapeStart) }
                let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                return Unicode.Scalar(value)!
            case 0xDC00...0xDFFF:
                throw error(.loneSurrogate, at: escapeStart)
            default:
                return Unicode.Scalar(unit)!
            }
        default:
            throw error(.invalidEscape, at: escapeStart)
        }
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt16 {
        guard index + 4 <= bytes.count else { throw error(.invalidUnicodeEscape) }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error(.invalidUnicodeEscape)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    // MARK: Tokens

    mutating func expectWord(_ word: StaticString) throws(JSONParseError) {
        for byte in UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount) {
            guard index < bytes.count else { throw error(.unexpectedEnd) }
            guard bytes[index] == byte else { throw unexpected() }
            index += 1
        }
    }

    mutating func expect(_ byte: UInt8) throws(JSONParseError) {
        guard index < bytes.count else { throw error(.unexpectedEnd) }
        guard bytes[index] == byte else { throw unexpected() }
        index += 1
    }

    func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    /// RFC 8259 §2: whitespace is space, tab, line feed and carriage return only.
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    // MARK: Errors

    func unexpected(at offset: Int? = nil) -> JSONParseError {
        let position = offset ?? index
        guard position < bytes.count else { return error(.unexpectedEnd, at: position) }
        let byte = bytes[position]
        let shown = (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
        return error(.unexpectedCharacter(shown), at: position)
    }

    func error(_ reason: JSONParseError.Reason, at offset: Int? = nil) -> JSONParseError {
        let position = min(offset ?? index, bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<position where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return JSONParseError(reason: reason, line: line, column: position - lineStart + 1)
    }
}
