import Foundation

extension FHIRPathEvaluator {
    /// The math functions of N1 §5.7 on one number. Exact ones stay in `Decimal`; `exp`, `ln`,
    /// `log`, `sqrt` and non-integer `power` need transcendental functions, so they go through
    /// `Double` and are rounded to 15 significant digits (they are never used in scoring).
    func math(_ function: FHIRPathFunction, _ item: FHIRPathValue, _ arguments: [[FHIRPathValue]]) throws(FHIRPathError) -> [FHIRPathValue] {
        let name = function.rawValue
        if case .quantity(let value, let unit) = item, function == .abs {
            return [.quantity(value: abs(value), unit: unit)]
        }
        guard let number = Self.number(item) else { throw .type("\(name) needs a number, not \(item.typeName)") }
        switch function {
        case .abs:
            if case .integer(let value) = item {
                guard value != .min else { throw .overflow(operation: name) }
                return [.integer(abs(value))]
            }
            return [.decimal(abs(number))]
        case .ceiling, .floor, .truncate:
            let mode: NSDecimalNumber.RoundingMode = function == .ceiling ? .up : function == .floor ? .down
                : (number < 0 ? .up : .down)
            return try [Self.integerValue(Self.rounded(number, scale: 0, mode: mode), name)]
        case .round:
            let precision = arguments.isEmpty ? 0 : (try integer(arguments[0], name) ?? 0)
            guard (0...Self.maxRoundPrecision).contains(precision) else {
                throw .type("round needs a precision from 0 to \(Self.maxRoundPrecision)")
            }
            let magnitude = Self.rounded(abs(number), scale: precision, mode: .plain)
            return [.decimal(number < 0 ? -magnitude : magnitude)]
        case .power:
            guard let exponentItem = try single(arguments[0], name) else { return [] }
            guard let exponent = Self.number(exponentItem) else { throw .type("power needs a number, not \(exponentItem.typeName)") }
            if case .integer(let base) = item, case .integer(let power) = exponentItem, power >= 0 {
                var result = 1
                for _ in 0..<power {
                    let step = result.multipliedReportingOverflow(by: base)
                    guard !step.overflow else { throw .overflow(operation: name) }
                    result = step.partialValue
                    try charge()
                }
                return [.integer(result)]
            }
            return Self.fromDouble(pow(Self.double(number), Self.double(exponent)))
        case .sqrt:
            return number < 0 ? [] : Self.fromDouble(Self.double(number).squareRoot())
        case .exp:
            return Self.fromDouble(Foundation.exp(Self.double(number)))
        case .ln:
            return number <= 0 ? [] : Self.fromDouble(Foundation.log(Self.double(number)))
        default:
            guard let baseItem = try single(arguments[0], name) else { return [] }
            guard let base = Self.number(baseItem) else { throw .type("log needs a number base, not \(baseItem.typeName)") }
            guard number > 0, base > 0, base != 1 else { return [] }
            return Self.fromDouble(Foundation.log(Self.double(number)) / Foundation.log(Self.double(base)))
        }
    }

    /// The most decimal places `round` accepts: beyond `Decimal`'s 38 significant digits
    /// a larger precision changes nothing.
    static let maxRoundPrecision = 38

    private static func integerValue(_ value: Decimal, _ operation: String) throws(FHIRPathError) -> FHIRPathValue {
        guard let integer = Int(value.description) else { throw .overflow(operation: operation) }
        return .integer(integer)
    }

    private static func double(_ value: Decimal) -> Double {
        Double(value.description) ?? .nan
    }

    /// A `Double` result as a decimal with 15 significant digits; empty when not finite.
    private static func fromDouble(_ value: Double) -> [FHIRPathValue] {
        guard value.isFinite, let decimal = Decimal(string: String(format: "%.15g", value), locale: Locale(identifier: "en_US_POSIX")) else {
            return []
        }
        return [.decimal(decimal)]
    }
}
