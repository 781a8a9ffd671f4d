import Foundation

/// A FHIR R4 Quantity: a measured amount with a unit, as answered to a quantity item.
///
/// FHIR R4 §2.24.0.6 (Quantity); `code`/`system` are normally UCUM
/// (`http://unitsofmeasure.org`), `unit` the human-readable unit.
public struct Quantity: Sendable, Hashable {
    public var value: Decimal
    public var unit: String?
    public var system: String?
    public var code: String?

    public init(value: Decimal, unit: String?, system: String?, code: String?) {
        self.value = value
        self.unit = unit
        self.system = system
        self.code = code
    }

    /// `true` when both quantities use the same unit (by system and code, else by unit text).
    public func hasSameUnit(as other: Quantity) -> Bool {
        if let code, let otherCode = other.code { return code == otherCode && system == other.system }
        return unit == other.unit
    }
}
