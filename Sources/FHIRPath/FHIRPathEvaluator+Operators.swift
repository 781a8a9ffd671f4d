import Foundation

extension FHIRPathEvaluator {
    // MARK: - Dispatch

    func binary(_ operation: FHIRPathBinaryOperator, _ left: [FHIRPathValue], _ right: [FHIRPathValue]) throws(FHIRPathError) -> [FHIRPathValue] {
        switch operation {
        case .and, .or, .xor, .implies:
            return try logic(operation, try boolean(left, operation.rawValue), try boolean(right, operation.rawValue))
        case .equal:
            return equal(left, right).map { FHIRPathValue.singleton($0) } ?? []
        case .notEqual:
            return equal(left, right).map { FHIRPathValue.singleton(!$0) } ?? []
        case .equivalent:
            return FHIRPathValue.singleton(try equivalent(left, right))
        case .notEquivalent:
            return FHIRPathValue.singleton(!(try equivalent(left, right)))
        case .less, .greater, .lessOrEqual, .greaterOrEqual:
            guard let a = try single(left, operation.rawValue), let b = try single(right, operation.rawValue),
                  let order = try compare(a, b, operation.rawValue) else { return [] }
            switch operation {
            case .less: return FHIRPathValue.singleton(order == .orderedAscending)
            case .greater: return FHIRPathValue.singleton(order == .orderedDescending)
            case .lessOrEqual: return FHIRPathValue.singleton(order != .orderedDescending)
            default: return FHIRPathValue.singleton(order != .orderedAscending)
            }
        case .in, .contains:
            let (element, collection) = operation == .in ? (left, right) : (right, left)
            guard let item = try single(element, operation.rawValue) else { return [] }
            try chargeComparisons(1, collection.count)
            return FHIRPathValue.singleton(collection.contains { Self.equal(item, $0, defaultOffset: defaultOffset) == true })
        case .union:
            return try distinct(left + right)
        case .concatenate:
            let a = try single(left, "&"), b = try single(right, "&")
            let texts = try [a, b].map { (item) throws(FHIRPathError) -> String in
                guard let item else { return "" }
                guard case .string(let text) = item else { throw .type("& needs strings, not \(item.typeName)") }
                return text
            }
            return try checkLength(texts[0] + texts[1])
        case .plus, .minus, .multiply, .divide, .div, .mod:
            guard let a = try single(left, operation.rawValue), let b = try single(right, operation.rawValue) else { return [] }
            return try arithmetic(operation, Self.temporalOperand(a, b), Self.systemQuantity(b)).map { [$0] } ?? []
        }
    }

    /// Three-valued logic (N1 §6.5 "Boolean logic" truth tables); `nil` is empty.
    private func logic(_ operation: FHIRPathBinaryOperator, _ a: Bool?, _ b: Bool?) throws(FHIRPathError) -> [FHIRPathValue] {
        let result: Bool?
        switch operation {
        case .and: result = a == false || b == false ? false : (a == true && b == true ? true : nil)
        case .or: result = a == true || b == true ? true : (a == false && b == false ? false : nil)
        case .xor: result = a.flatMap { a in b.map { a != $0 } }
        default: result = a == false ? true : (a == true ? b : (b == true ? true : nil))
        }
        return result.map { FHIRPathValue.singleton($0) } ?? []
    }

    func negate(_ operand: [FHIRPathValue]) throws(FHIRPathError) -> [FHIRPathValue] {
        guard let item = try single(operand, "unary -") else { return [] }
        switch item {
        case .integer(let value):
            guard value != .min else { throw .overflow(operation: "unary -") }
            return [.integer(-value)]
        case .decimal(let value): return [.decimal(-value)]
        case .quantity(let value, let unit): return [.quantity(value: -value, unit: unit)]
        default: throw .type("unary - needs a number or quantity, not \(item.typeName)")
        }
    }

    // MARK: - Equality (N1 §6.1)

    /// `=` on collections: empty when either is empty, else item by item in order.
    func equal(_ left: [FHIRPathValue], _ right: [FHIRPathValue]) -> Bool? {
        guard !left.isEmpty, !right.isEmpty else { return nil }
        guard left.count == right.count else { return false }
        var unknown = false
        for (a, b) in zip(left, right) {
            switch Self.equal(a, b, defaultOffset: defaultOffset) {
            case false?: return false
            case nil: unknown = true
            case true?: continue
            }
        }
        return unknown ? nil : true
    }

    /// `~` on collections: both empty is true; otherwise every item has an equivalent, in any order.
    func equivalent(_ left: [FHIRPathValue], _ right: [FHIRPathValue]) throws(FHIRPathError) -> Bool {
        guard left.count == right.count else { return false }
        try chargeComparisons(left.count, right.count)
        var unmatched = right
        for a in left {
            guard let match = unmatched.firstIndex(where: { Self.equivalent(a, $0, defaultOffset: defaultOffset) }) else { return false }
            unmatched.remove(at: match)
        }
        return true
    }

    /// Equality of two items: `nil` when unknown (dates of different precision, quantities of
    /// different units). Integers and decimals compare by value, trailing zeros ignored.
    static func equal(_ a: FHIRPathValue, _ b: FHIRPathValue, defaultOffset: Int) -> Bool? {
        if let x = number(a), let y = number(b) { return x == y }
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y
        case (.boolean(let x), .boolean(let y)): return x == y
        case (.node(let x), .node(let y)): return x == y
        default: break
        }
        if let (x, y) = temporals(a, b) {
            return x.compare(to: y, defaultOffset: defaultOffset).map { $0 == .orderedSame }
        }
        if let (x, y) = quantities(a, b) {
            guard let order = compareQuantities(x, y) else { return nil }
            return order == .orderedSame
        }
        return false
    }

    /// Equivalence of two items (N1 §6.1.3): decimals at the precision of the less precise one,
    /// strings ignoring case and collapsing whitespace, different date precision is false.
    static func equivalent(_ a: FHIRPathValue, _ b: FHIRPathValue, defaultOffset: Int) -> Bool {
        if let x = number(a), let y = number(b) {
            let scale = min(Self.scale(of: x), Self.scale(of: y))
            return rounded(x, scale: scale, mode: .plain) == rounded(y, scale: scale, mode: .plain)
        }
        if case .string(let x) = a, case .string(let y) = b { return normalized(x) == normalized(y) }
        if let (x, y) = quantities(a, b), let unit = CalendarUnit(definiteUnit: x.unit), unit == CalendarUnit(definiteUnit: y.unit) {
            return x.value == y.value
        }
        return equal(a, b, defaultOffset: defaultOffset) ?? false
    }

    private static func normalized(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    // MARK: - Comparison (N1 §6.2)

    /// Orders two items; `nil` when unknown (different precision or units), a type error when
    /// they cannot be compared at all.
    func compare(_ a: FHIRPathValue, _ b: FHIRPathValue, _ operation: String) throws(FHIRPathError) -> ComparisonResult? {
        if let x = Self.number(a), let y = Self.number(b) { return x == y ? .orderedSame : (x < y ? .orderedAscending : .orderedDescending) }
        if case .string(let x) = a, case .string(let y) = b {
            return x == y ? .orderedSame : (x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars) ? .orderedAscending : .orderedDescending)
        }
        if let (x, y) = Self.temporals(a, b) { return x.compare(to: y, defaultOffset: defaultOffset) }
        if let (x, y) = Self.quantities(a, b) { return Self.compareQuantities(x, y) }
        throw .type("\(operation) cannot compare \(a.typeName) with \(b.typeName)")
    }

    /// Integers and decimals as a `Decimal`.
    static func number(_ value: FHIRPathValue) -> Decimal? {
        switch value {
        case .integer(let x): return Decimal(x)
        case .decimal(let x): return x
        default: return nil
        }
    }

    /// Two temporal values that can be compared: same kind, date with dateTime, or a string
    /// (from a resource without type information) read as the other side's kind.
    static func temporals(_ a: FHIRPathValue, _ b: FHIRPathValue) -> (FHIRPathTemporal, FHIRPathTemporal)? {
        func temporal(_ value: FHIRPathValue, like other: FHIRPathValue) -> FHIRPathTemporal? {
            switch value {
            case .date(let x), .dateTime(let x), .time(let x): return x
            case .string(let text):
                switch other {
                case .date, .dateTime: return FHIRPathTemporal.parse(text, as: .dateTime) ?? FHIRPathTemporal.parse(text, as: .date)
                case .time: return FHIRPathTemporal.parse(text, as: .time)
                default: return nil
                }
            default: return nil
            }
        }
        guard let x = temporal(a, like: b), let y = temporal(b, like: a),
              (x.kind == .time) == (y.kind == .time) else { return nil }
        return (x, y)
    }

    /// A System.Quantity, or a FHIR Quantity element read as one (`value` with `code` or `unit`).
    static func quantity(_ value: FHIRPathValue) -> (value: Decimal, unit: String)? {
        switch value {
        case .quantity(let amount, let unit): return (amount, unit)
        case .node(let node):
            guard let amount = node.json["value"]?.decimalValue,
                  let unit = node.json["code"]?.stringValue ?? node.json["unit"]?.stringValue else { return nil }
            return (amount, unit)
        default: return nil
        }
    }

    /// The left operand of `date + 1 year`: a string from a resource without type information
    /// (`birthDate`) is read as a date or date-time when a quantity is added to it; a FHIR
    /// Quantity element becomes a System.Quantity.
    private static func temporalOperand(_ value: FHIRPathValue, _ other: FHIRPathValue) -> FHIRPathValue {
        if case .string(let text) = value, case .quantity = other,
           let temporal = FHIRPathTemporal.parse(text, as: .date) ?? FHIRPathTemporal.parse(text, as: .dateTime) {
            return FHIRPathValue(temporal)
        }
        return systemQuantity(value)
    }

    /// A FHIR Quantity element as a System.Quantity (FHIR R4 §2.1.9.1.5: Quantity converts
    /// implicitly), anything else unchanged.
    static func systemQuantity(_ value: FHIRPathValue) -> FHIRPathValue {
        guard case .node = value, let (amount, unit) = quantity(value) else { return value }
        return .quantity(value: amount, unit: unit)
    }

    private static func quantities(_ a: FHIRPathValue, _ b: FHIRPathValue) -> ((value: Decimal, unit: String), (value: Decimal, unit: String))? {
        guard let x = quantity(a), let y = quantity(b) else { return nil }
        return (x, y)
    }

    /// Quantities compare when their units are the same, or name the same calendar unit
    /// (`1 day` and `1 'd'`); other unit conversions are not done (documented limitation).
    private static func compareQuantities(_ x: (value: Decimal, unit: String), _ y: (value: Decimal, unit: String)) -> ComparisonResult? {
        let sameUnit = x.unit == y.unit || {
            guard let a = CalendarUnit(unit: x.unit), let b = CalendarUnit(unit: y.unit) else { return false }
            return a == b
        }()
        guard sameUnit else { return nil }
        return x.value == y.value ? .orderedSame : (x.value < y.value ? .orderedAscending : .orderedDescending)
    }

    // MARK: - Arithmetic (N1 §6.6)

    /// One arithmetic operation; `nil` for results the spec defines as empty (division by zero).
    private func arithmetic(_ operation: FHIRPathBinaryOperator, _ a: FHIRPathValue, _ b: FHIRPathValue) throws(FHIRPathError) -> FHIRPathValue? {
        let symbol = operation.rawValue
        switch (a, b) {
        case (.integer(let x), .integer(let y)):
            return try integerArithmetic(operation, x, y)
        case (.string(let x), .string(let y)) where operation == .plus:
            return try checkLength(x + y).first
        case (.date(let x), .quantity(let amount, let unit)), (.dateTime(let x), .quantity(let amount, let unit)),
             (.time(let x), .quantity(let amount, let unit)):
            guard operation == .plus || operation == .minus else { break }
            guard let calendarUnit = CalendarUnit(unit: unit), abs(amount) <= FHIRPathTemporal.maxCalendarAmount,
                  let whole = Int(Self.rounded(amount, scale: 0, mode: amount < 0 ? .up : .down).description) else {
                throw .type("\(symbol) needs a calendar duration such as 3 days, not '\(unit)'")
            }
            guard let result = x.adding(operation == .plus ? whole : -whole, unit: calendarUnit) else {
                throw .type("cannot add \(unit) to a \(a.typeName) of this precision")
            }
            return FHIRPathValue(result)
        case (.quantity(let x, let unit), .quantity(let y, let otherUnit)) where operation == .plus || operation == .minus:
            guard unit == otherUnit else { throw .type("\(symbol) on quantities needs the same unit ('\(unit)' and '\(otherUnit)')") }
            return .quantity(value: operation == .plus ? x + y : x - y, unit: unit)
        case (.quantity(let x, let unit), _) where operation == .multiply || operation == .divide:
            guard let factor = Self.number(b) else { break }
            guard operation == .multiply || !factor.isZero else { return nil }
            return .quantity(value: operation == .multiply ? x * factor : x / factor, unit: unit)
        default:
            break
        }
        guard let x = Self.number(a), let y = Self.number(b) else {
            throw .type("\(symbol) cannot combine \(a.typeName) with \(b.typeName)")
        }
        let result: Decimal
        switch operation {
        case .plus: result = x + y
        case .minus: result = x - y
        case .multiply: result = x * y
        case .divide:
            guard !y.isZero else { return nil }
            result = x / y
        case .div:
            guard !y.isZero else { return nil }
            result = Self.rounded(x / y, scale: 0, mode: x / y < 0 ? .up : .down)
        default:
            guard !y.isZero else { return nil }
            result = x - y * Self.rounded(x / y, scale: 0, mode: x / y < 0 ? .up : .down)
        }
        guard !result.isNaN else { throw .overflow(operation: symbol) }
        return .decimal(result)
    }

    private func integerArithmetic(_ operation: FHIRPathBinaryOperator, _ x: Int, _ y: Int) throws(FHIRPathError) -> FHIRPathValue? {
        let report: (partialValue: Int, overflow: Bool)
        switch operation {
        case .plus: report = x.addingReportingOverflow(y)
        case .minus: report = x.subtractingReportingOverflow(y)
        case .multiply: report = x.multipliedReportingOverflow(by: y)
        case .div:
            guard y != 0 else { return nil }
            report = x.dividedReportingOverflow(by: y)
        case .mod:
            guard y != 0 else { return nil }
            report = x.remainderReportingOverflow(dividingBy: y)
        default:
            guard y != 0 else { return nil }
            return .decimal(Decimal(x) / Decimal(y))
        }
        guard !report.overflow else { throw .overflow(operation: operation.rawValue) }
        return .integer(report.partialValue)
    }

    // MARK: - Decimal helpers

    /// Digits after the decimal point of a decimal's shortest form (`1.50` → 1, `2` → 0).
    static func scale(of value: Decimal) -> Int {
        let text = value.description
        guard let dot = text.firstIndex(of: ".") else { return 0 }
        return text.distance(from: dot, to: text.endIndex) - 1
    }

    static func rounded(_ value: Decimal, scale: Int, mode: NSDecimalNumber.RoundingMode) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, scale, mode)
        return result
    }
}
