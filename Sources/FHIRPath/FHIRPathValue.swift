import Foundation
import JSON

/// One item of a FHIRPath collection.
///
/// FHIRPath N1 §"Literals" and §"Types": the System primitive types, plus elements of the
/// resource being evaluated. Decimals are Foundation `Decimal` so scores never pass through
/// binary floating point.
///
/// Dates, times and quantities are stored out of line (`indirect`): a temporal value is 129
/// bytes, and inline it made every value 136 bytes, so that every collection, copy and
/// comparison moved that much (memmove was a tenth of the scoring benchmark's samples). Now a
/// value is 24 bytes (the `Decimal`), and only the rarer temporal and quantity values pay an
/// allocation.
public enum FHIRPathValue: Sendable, Hashable {
    case boolean(Bool)
    case integer(Int)
    case decimal(Decimal)
    case string(String)
    indirect case date(FHIRPathTemporal)
    indirect case dateTime(FHIRPathTemporal)
    indirect case time(FHIRPathTemporal)
    /// A System.Quantity; `unit` is the UCUM code or calendar keyword as written.
    indirect case quantity(value: Decimal, unit: String)
    /// An element of the input tree.
    case node(FHIRPathNode)

    /// A temporal value in the case that matches its kind.
    public init(_ temporal: FHIRPathTemporal) {
        switch temporal.kind {
        case .date: self = .date(temporal)
        case .dateTime: self = .dateTime(temporal)
        case .time: self = .time(temporal)
        }
    }

    /// The type name used in CLI output and by `is`/`as`: System types in lower camel case,
    /// nodes by their FHIR type (`node` when unknown).
    public var typeName: String {
        switch self {
        case .boolean: return "boolean"
        case .integer: return "integer"
        case .decimal: return "decimal"
        case .string: return "string"
        case .date: return "date"
        case .dateTime: return "dateTime"
        case .time: return "time"
        case .quantity: return "Quantity"
        case .node(let node): return node.typeName ?? "node"
        }
    }
}

// MARK: - Booleans

extension FHIRPathValue {
    private static let trueCollection: [FHIRPathValue] = [.boolean(true)]
    private static let falseCollection: [FHIRPathValue] = [.boolean(false)]

    /// `[true]` or `[false]`, shared. Booleans are the most frequent results (every `and`,
    /// `=`, `in`, `exists()` of a `where` gives one per item), and a shared collection costs a
    /// retain where a new one costs an allocation.
    static func singleton(_ value: Bool) -> [FHIRPathValue] {
        value ? trueCollection : falseCollection
    }
}

// MARK: - JSON

extension FHIRPathValue {
    /// The value as JSON: primitives as JSON primitives (decimals with their exact digits,
    /// dates as FHIR text), quantities as a FHIR Quantity, nodes as their subtree.
    public var json: JSON {
        switch self {
        case .boolean(let value): return .bool(value)
        case .integer(let value): return .number(JSONNumber(value))
        case .decimal(let value): return .number(JSONNumber(value))
        case .string(let value): return .string(value)
        case .date(let value), .dateTime(let value), .time(let value): return .string(value.description)
        case .quantity(let value, let unit): return ["value": .number(JSONNumber(value)), "unit": .string(unit)]
        case .node(let node): return node.json
        }
    }

    /// `{"type": …, "value": …}`, the shape `byneed fhirpath` prints for each item.
    public var typedJSON: JSON {
        ["type": .string(typeName), "value": json]
    }

    /// A value read from a JSON member: `fhirType` (from a choice suffix such as `valueDecimal`)
    /// decides between integer and decimal and turns date strings into dates. `nil` for `null`.
    static func from(_ json: JSON, fhirType: String?, name: String?, parent: FHIRPathNode?) -> FHIRPathValue? {
        switch json {
        case .null:
            return nil
        case .bool(let value):
            return .boolean(value)
        case .number(let number):
            if fhirType != "decimal", let integer = number.int { return .integer(integer) }
            return number.decimal.map(FHIRPathValue.decimal)
        case .string(let text):
            switch fhirType {
            case "date": return FHIRPathTemporal.parse(text, as: .date).map(FHIRPathValue.init) ?? .string(text)
            case "dateTime", "instant":
                return FHIRPathTemporal.parse(text, as: .dateTime).map(FHIRPathValue.init) ?? .string(text)
            case "time": return FHIRPathTemporal.parse(text, as: .time).map(FHIRPathValue.init) ?? .string(text)
            default: return .string(text)
            }
        case .object, .array:
            return .node(FHIRPathNode(json: json, typeName: fhirType, name: name, parent: parent))
        }
    }
}

extension FHIRPathValue {
    /// The collection a JSON value stands for: an array's elements, `null` as empty, anything
    /// else as one item (for variables given as JSON, such as `%threshold`).
    public static func collection(from json: JSON) -> [FHIRPathValue] {
        if case .array(let elements) = json {
            return elements.compactMap { from($0, fhirType: nil, name: nil, parent: nil) }
        }
        return from(json, fhirType: nil, name: nil, parent: nil).map { [$0] } ?? []
    }
}
