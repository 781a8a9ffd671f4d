import Foundation

/// A JSON value tree that keeps number literals and object key order.
///
/// FHIR decimals must keep their precision (`1.50` is not `1.5`, FHIR R4 §2.6.1 "decimal"),
/// and error messages name JSON paths in document order, so this type never goes through
/// `Double` or an unordered dictionary (see ARCHITECTURE.md, "A separate JSON target").
public enum JSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSON])
    case object(JSONObject)
}

// MARK: - Convenience accessors

extension JSON {
    /// The member named `key` when this is an object; `nil` otherwise or when absent.
    public subscript(key: String) -> JSON? {
        objectValue?[key]
    }

    /// The element at `index` when this is an array and the index is in range.
    public subscript(index: Int) -> JSON? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The string when this is a JSON string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The boolean when this is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The number when this is a JSON number.
    public var numberValue: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The integer when this is a number written without fraction or exponent that fits `Int`.
    public var intValue: Int? {
        numberValue?.int
    }

    /// The exact decimal value when this is a number.
    public var decimalValue: Decimal? {
        numberValue?.decimal
    }

    /// The elements when this is an array.
    public var arrayValue: [JSON]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members when this is an object.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// `true` for `null`.
    public var isNull: Bool {
        self == .null
    }
}

// MARK: - Literals

extension JSON: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension JSON: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) {
        self = .number(JSONNumber(value))
    }
}

extension JSON: ExpressibleByFloatLiteral {
    /// Takes the literal through its shortest `description`, so `1.5` becomes the text `1.5`.
    public init(floatLiteral value: Double) {
        self = .number(JSONNumber(Decimal(string: "\(value)") ?? Decimal(value)))
    }
}

extension JSON: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

extension JSON: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: JSON...) {
        self = .array(elements)
    }
}

extension JSON: ExpressibleByDictionaryLiteral {
    /// Keeps the literal's key order. A repeated key keeps its first position and last value.
    public init(dictionaryLiteral elements: (String, JSON)...) {
        var object = JSONObject()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}

extension JSON: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) {
        self = .null
    }
}

