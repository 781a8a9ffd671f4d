import Foundation

/// A JSON number that keeps the exact literal text it was written with.
///
/// FHIR R4 §2.6.1: "decimal ... the precision of the decimal value has significance", so
/// `1.50` must be stored and sent back as `1.50`. Arithmetic goes through `decimal`, never
/// through binary floating point.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The literal exactly as written (RFC 8259 §6 number grammar).
    public let literal: String

    /// Wraps a literal already checked against the RFC 8259 number grammar.
    init(validatedLiteral: String) {
        self.literal = validatedLiteral
    }

    /// A number for an integer, written in plain decimal digits.
    public init(_ value: Int) {
        self.literal = String(value)
    }

    /// A number for a decimal, written without exponent (`Decimal.description`).
    public init(_ value: Decimal) {
        self.literal = value.description
    }

    /// Parses `literal` with the RFC 8259 number grammar; `nil` when it is not a JSON number.
    public init?(literal: String) {
        guard JSONNumber.isValidLiteral(Array(literal.utf8)) else { return nil }
        self.literal = literal
    }

    /// The exact value, or `nil` when the literal is outside `Decimal`'s range.
    public var decimal: Decimal? {
        Decimal(string: literal, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// The value when the literal is a plain integer (no `.`, no exponent) that fits `Int`.
    public var int: Int? {
        guard !literal.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) else { return nil }
        return Int(literal)
    }

    public var description: String { literal }

    /// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func isValidLiteral(_ bytes: [UInt8]) -> Bool {
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { return false }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            return false
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }
}
