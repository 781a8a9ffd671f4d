import Foundation

extension FHIRPathEvaluator {
    private static let posix = Locale(identifier: "en_US_POSIX")

    /// The `toX()` conversions (N1 §5.5); `nil` when the item does not convert.
    static func convert(_ item: FHIRPathValue, _ target: FHIRPathFunction) -> FHIRPathValue? {
        switch (target, item) {
        case (.toBoolean, .boolean): return item
        case (.toBoolean, .integer(let value)): return value == 0 ? .boolean(false) : value == 1 ? .boolean(true) : nil
        case (.toBoolean, .decimal(let value)): return value == 0 ? .boolean(false) : value == 1 ? .boolean(true) : nil
        case (.toBoolean, .string(let text)):
            switch text.lowercased() {
            case "true", "t", "yes", "y", "1", "1.0": return .boolean(true)
            case "false", "f", "no", "n", "0", "0.0": return .boolean(false)
            default: return nil
            }
        case (.toInteger, .integer): return item
        case (.toInteger, .boolean(let value)): return .integer(value ? 1 : 0)
        case (.toInteger, .string(let text)):
            guard isNumberText(text, fraction: false) else { return nil }
            return Int(text.hasPrefix("+") ? String(text.dropFirst()) : text).map(FHIRPathValue.integer)
        case (.toDecimal, .decimal): return item
        case (.toDecimal, .integer(let value)): return .decimal(Decimal(value))
        case (.toDecimal, .boolean(let value)): return .decimal(value ? 1 : 0)
        case (.toDecimal, .string(let text)):
            guard isNumberText(text, fraction: true) else { return nil }
            return Decimal(string: text.hasPrefix("+") ? String(text.dropFirst()) : text, locale: posix).map(FHIRPathValue.decimal)
        case (.toString, .string): return item
        case (.toString, .boolean(let value)): return .string(value ? "true" : "false")
        case (.toString, .integer(let value)): return .string(String(value))
        case (.toString, .decimal(let value)): return .string(value.description)
        case (.toString, .date(let value)), (.toString, .dateTime(let value)), (.toString, .time(let value)):
            return .string(value.description)
        case (.toString, .quantity(let value, let unit)): return .string("\(value) '\(unit)'")
        case (.toDate, .date): return item
        case (.toDate, .dateTime(let value)):
            return .date(FHIRPathTemporal(kind: .date, year: value.year, month: value.month, day: value.day))
        case (.toDate, .string(let text)): return FHIRPathTemporal.parse(text, as: .date).map(FHIRPathValue.date)
        case (.toDateTime, .dateTime): return item
        case (.toDateTime, .date(let value)):
            return .dateTime(FHIRPathTemporal(kind: .dateTime, year: value.year, month: value.month, day: value.day))
        case (.toDateTime, .string(let text)): return FHIRPathTemporal.parse(text, as: .dateTime).map(FHIRPathValue.dateTime)
        case (.toTime, .time): return item
        case (.toTime, .string(let text)): return FHIRPathTemporal.parse(text, as: .time).map(FHIRPathValue.time)
        default: return nil
        }
    }

    /// `(\+|-)?\d+(\.\d+)?` (N1 §5.5.3 `toDecimal`), without the fraction for integers.
    private static func isNumberText(_ text: String, fraction: Bool) -> Bool {
        var body = Substring(text)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...(fraction ? 2 : 1)).contains(parts.count) else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    /// `toQuantity()`: numbers get unit `'1'`; strings in the form `4 'mg'` or `3 days` parse.
    static func quantityConversion(_ item: FHIRPathValue) -> (value: Decimal, unit: String)? {
        switch item {
        case .integer(let value): return (Decimal(value), "1")
        case .decimal(let value): return (value, "1")
        case .quantity(let value, let unit): return (value, unit)
        case .node: return quantity(item)
        case .string(let text):
            let parts = text.split(separator: " ", maxSplits: 1)
            guard let first = parts.first, isNumberText(String(first), fraction: true),
                  let value = Decimal(string: String(first), locale: posix) else { return nil }
            guard parts.count == 2 else { return (value, "1") }
            let unit = String(parts[1])
            if unit.count >= 2, unit.hasPrefix("'"), unit.hasSuffix("'") { return (value, String(unit.dropFirst().dropLast())) }
            return CalendarUnit(unit: unit) != nil && unit.count > 2 ? (value, unit) : nil
        default: return nil
        }
    }
}
