import Foundation

/// One answer value, as in FHIR R4 `QuestionnaireResponse.item.answer.value[x]`.
///
/// Dates and date-times are kept as their FHIR strings (validated when created through
/// `FHIRDate`) so partial dates and offsets survive round trips unchanged.
public enum AnswerValue: Sendable, Hashable {
    case boolean(Bool)
    case decimal(Decimal)
    case integer(Int)
    /// A FHIR `date` (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    case date(String)
    /// A FHIR `dateTime` (with seconds and offset when it has a time).
    case dateTime(String)
    case string(String)
    case coding(Coding)
    case quantity(Quantity)

    /// The FHIR type name used in `value[x]` / `answer[x]` / `initial[x]` element names.
    public var fhirTypeName: String {
        switch self {
        case .boolean: "Boolean"
        case .decimal: "Decimal"
        case .integer: "Integer"
        case .date: "Date"
        case .dateTime: "DateTime"
        case .string: "String"
        case .coding: "Coding"
        case .quantity: "Quantity"
        }
    }

    /// `true` when `other` is the same value for answer matching: codings by system and
    /// code (display ignored), decimals numerically, quantities by value and unit.
    public func matches(_ other: AnswerValue) -> Bool {
        switch (self, other) {
        case (.coding(let lhs), .coding(let rhs)): lhs.matches(rhs)
        case (.quantity(let lhs), .quantity(let rhs)): lhs.value == rhs.value && lhs.hasSameUnit(as: rhs)
        default: compare(other) == .orderedSame
        }
    }

    /// Orders two values of comparable types: numbers (integer and decimal mix), dates and
    /// date-times (as instants when both have a time, else by their text), strings, quantities
    /// of the same unit. `nil` when the values cannot be ordered (booleans, codings only compare
    /// for equality and return `.orderedSame` or `nil`).
    public func compare(_ other: AnswerValue) -> ComparisonResult? {
        switch (self, other) {
        case (.boolean(let lhs), .boolean(let rhs)): return lhs == rhs ? .orderedSame : nil
        case (.coding(let lhs), .coding(let rhs)): return lhs.matches(rhs) ? .orderedSame : nil
        case (.string(let lhs), .string(let rhs)): return Self.order(lhs, rhs)
        case (.date(let lhs), .date(let rhs)): return Self.order(lhs, rhs)
        case (.dateTime(let lhs), .dateTime(let rhs)):
            if let left = FHIRDate.instant(lhs), let right = FHIRDate.instant(rhs) { return Self.order(left, right) }
            return Self.order(lhs, rhs)
        case (.quantity(let lhs), .quantity(let rhs)):
            return lhs.hasSameUnit(as: rhs) ? Self.order(lhs.value, rhs.value) : nil
        default:
            guard let lhs = numericValue, let rhs = other.numericValue else { return nil }
            return Self.order(lhs, rhs)
        }
    }

    /// The number for integer, decimal and quantity values.
    public var numericValue: Decimal? {
        switch self {
        case .integer(let value): Decimal(value)
        case .decimal(let value): value
        case .quantity(let quantity): quantity.value
        default: nil
        }
    }

    private static func order<T: Comparable>(_ lhs: T, _ rhs: T) -> ComparisonResult {
        lhs < rhs ? .orderedAscending : (lhs > rhs ? .orderedDescending : .orderedSame)
    }
}
