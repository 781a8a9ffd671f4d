import Foundation

extension FHIRPathEvaluator {
    /// Runs one function over its input collection (FHIRPath N1 §5, §7).
    /// `where`, `select`, `repeat`, `exists`, `all`, `aggregate`, `iif` and `trace` take their
    /// arguments as expressions evaluated per item (N1 §5.2); the others evaluate theirs once.
    func call(_ function: FHIRPathFunction, input: [FHIRPathValue], arguments: [FHIRPathSyntax],
              context: Context) throws(FHIRPathError) -> [FHIRPathValue] {
        /// A non-lambda argument, evaluated once against the current `$this`.
        func argument(_ index: Int) throws(FHIRPathError) -> [FHIRPathValue] {
            try evaluate(arguments[index], focus: context.this, context: context)
        }
        /// A lambda argument evaluated for each input item, `$this` and `$index` bound.
        func perItem(_ index: Int) throws(FHIRPathError) -> [[FHIRPathValue]] {
            var results: [[FHIRPathValue]] = []
            for (offset, item) in input.enumerated() {
                let focus = [item]
                results.append(try evaluate(arguments[index], focus: focus,
                                            context: Context(this: focus, index: offset, total: context.total)))
            }
            return results
        }
        let name = function.rawValue
        switch function {
        // MARK: Existence
        case .empty:
            return FHIRPathValue.singleton(input.isEmpty)
        case .exists:
            guard !arguments.isEmpty else { return FHIRPathValue.singleton(!input.isEmpty) }
            for result in try perItem(0) where try boolean(result, name) == true { return FHIRPathValue.singleton(true) }
            return FHIRPathValue.singleton(false)
        case .all:
            for result in try perItem(0) where try boolean(result, name) != true { return FHIRPathValue.singleton(false) }
            return FHIRPathValue.singleton(true)
        case .allTrue, .anyTrue, .allFalse, .anyFalse:
            let values = try input.map { (item) throws(FHIRPathError) -> Bool in
                guard case .boolean(let value) = item else { throw .type("\(name) needs booleans, not \(item.typeName)") }
                return value
            }
            switch function {
            case .allTrue: return FHIRPathValue.singleton(values.allSatisfy { $0 })
            case .anyTrue: return FHIRPathValue.singleton(values.contains(true))
            case .allFalse: return FHIRPathValue.singleton(values.allSatisfy { !$0 })
            default: return FHIRPathValue.singleton(values.contains(false))
            }
        case .subsetOf, .supersetOf:
            let other = try argument(0)
            let (subset, superset) = function == .subsetOf ? (input, other) : (other, input)
            try chargeComparisons(subset.count, superset.count)
            return FHIRPathValue.singleton(subset.allSatisfy { item in superset.contains { isEqual(item, $0) } })
        case .count:
            return [.integer(input.count)]
        case .distinct:
            return try distinct(input)
        case .isDistinct:
            return FHIRPathValue.singleton(try distinct(input).count == input.count)
        // MARK: Filtering and projection
        case .where:
            let results = try perItem(0)
            var kept: [FHIRPathValue] = []
            for (item, result) in zip(input, results) where try boolean(result, name) == true { kept.append(item) }
            return kept
        case .select:
            return try perItem(0).flatMap { $0 }
        case .repeat:
            return try repeatProjection(input, arguments[0], context: context)
        // MARK: Subsetting
        case .single:
            return try single(input, name).map { [$0] } ?? []
        case .first:
            return input.first.map { [$0] } ?? []
        case .last:
            return input.last.map { [$0] } ?? []
        case .tail:
            return Array(input.dropFirst())
        case .skip, .take:
            guard let count = try integer(argument(0), name) else { return function == .skip ? input : [] }
            return function == .skip ? Array(input.dropFirst(max(0, count))) : Array(input.prefix(max(0, count)))
        case .intersect:
            let other = try argument(0)
            try chargeComparisons(input.count, other.count)
            return try distinct(input.filter { item in other.contains { isEqual(item, $0) } })
        case .exclude:
            let other = try argument(0)
            try chargeComparisons(input.count, other.count)
            return input.filter { item in !other.contains { isEqual(item, $0) } }
        case .union:
            return try distinct(input + argument(0))
        case .combine:
            return input + (try argument(0))
        // MARK: Conversion
        case .iif:
            guard input.count <= 1 else { throw .singletonExpected(operation: name, count: input.count) }
            let branchContext = Context(this: input.isEmpty ? context.this : input, index: context.index, total: context.total)
            let focus = input.isEmpty ? context.this : input
            let condition = try boolean(try evaluate(arguments[0], focus: focus, context: branchContext), name)
            if condition == true { return try evaluate(arguments[1], focus: focus, context: branchContext) }
            return arguments.count > 2 ? try evaluate(arguments[2], focus: focus, context: branchContext) : []
        case .toBoolean, .toInteger, .toDecimal, .toString, .toDate, .toDateTime, .toTime:
            guard let item = try single(input, name) else { return [] }
            return Self.convert(item, function).map { [$0] } ?? []
        case .convertsToBoolean, .convertsToInteger, .convertsToDecimal, .convertsToString, .convertsToDate,
             .convertsToDateTime, .convertsToTime:
            guard let item = try single(input, name) else { return [] }
            let target = FHIRPathFunction(rawValue: "to" + name.dropFirst("convertsTo".count))!
            return FHIRPathValue.singleton(Self.convert(item, target) != nil)
        case .toQuantity, .convertsToQuantity:
            guard let item = try single(input, name) else { return [] }
            let unit = arguments.isEmpty ? nil : try string(argument(0), name)
            var quantity = Self.quantityConversion(item)
            if let unit, quantity?.unit != unit { quantity = nil }
            if function == .convertsToQuantity { return FHIRPathValue.singleton(quantity != nil) }
            return quantity.map { [.quantity(value: $0.value, unit: $0.unit)] } ?? []
        // MARK: Strings
        case .indexOf, .substring, .startsWith, .endsWith, .contains, .upper, .lower, .replace, .matches,
             .replaceMatches, .length, .toChars, .trim, .split:
            guard let text = try string(input, name) else { return [] }
            var values: [[FHIRPathValue]] = []
            for index in arguments.indices { values.append(try argument(index)) }
            return try stringFunction(function, text, values)
        case .join:
            let separator = arguments.isEmpty ? "" : (try string(argument(0), name) ?? "")
            let texts = try input.map { (item) throws(FHIRPathError) -> String in
                guard case .string(let text) = item else { throw .type("join needs strings, not \(item.typeName)") }
                return text
            }
            return try checkLength(texts.joined(separator: separator))
        // MARK: Math
        case .abs, .ceiling, .exp, .floor, .ln, .log, .power, .round, .sqrt, .truncate:
            guard let item = try single(input, name) else { return [] }
            var values: [[FHIRPathValue]] = []
            for index in arguments.indices { values.append(try argument(index)) }
            return try math(function, item, values)
        // MARK: Tree navigation
        case .children:
            return try allChildren(of: input)
        case .descendants:
            var result: [FHIRPathValue] = []
            var level = try allChildren(of: input)
            while !level.isEmpty {
                result += level
                try charge(level.count)
                level = try allChildren(of: level)
            }
            return result
        // MARK: Utility
        case .trace:
            return input
        case .now:
            return [.dateTime(FHIRPathTemporal.current(environment.now, timeZone: environment.timeZone, kind: .dateTime))]
        case .timeOfDay:
            return [.time(FHIRPathTemporal.current(environment.now, timeZone: environment.timeZone, kind: .time))]
        case .today:
            return [.date(FHIRPathTemporal.current(environment.now, timeZone: environment.timeZone, kind: .date))]
        // MARK: Aggregates and boolean
        case .aggregate:
            var total = arguments.count > 1 ? try argument(1) : []
            for (offset, item) in input.enumerated() {
                let focus = [item]
                total = try evaluate(arguments[0], focus: focus, context: Context(this: focus, index: offset, total: total))
            }
            return total
        case .sum, .min, .max, .avg:
            return try aggregate(function, input)
        case .not:
            return try boolean(input, name).map { FHIRPathValue.singleton(!$0) } ?? []
        // MARK: FHIR
        case .extension:
            guard let url = try string(argument(0), name) else { return [] }
            return try children(of: input, named: "extension").filter { extensionItem in
                guard case .node(let node) = extensionItem else { return false }
                return node.json["url"]?.stringValue == url
            }
        case .hasValue:
            guard input.count == 1, let item = input.first else { return FHIRPathValue.singleton(false) }
            if case .node = item { return FHIRPathValue.singleton(false) }
            return FHIRPathValue.singleton(true)
        case .ordinal, .weight:
            return try weights(of: input)
        }
    }

    /// Equality as `distinct`, `union` and friends use it: `=` where that is true.
    func isEqual(_ a: FHIRPathValue, _ b: FHIRPathValue) -> Bool {
        Self.equal(a, b, defaultOffset: defaultOffset) == true
    }

    /// Charges for comparing every item of one collection with every item of another, so
    /// quadratic operations on large collections also meet the budget (one step per 64).
    func chargeComparisons(_ left: Int, _ right: Int) throws(FHIRPathError) {
        let (product, overflow) = left.multipliedReportingOverflow(by: right)
        try charge(overflow ? environment.stepBudget + 1 : product / 64)
    }

    /// The items without repeats, first occurrence kept (N1 §5.1 `distinct()`).
    func distinct(_ collection: [FHIRPathValue]) throws(FHIRPathError) -> [FHIRPathValue] {
        var kept: [FHIRPathValue] = []
        for item in collection where !kept.contains(where: { isEqual(item, $0) }) {
            try charge(kept.count / 64 + 1)
            kept.append(item)
        }
        return kept
    }

    /// `repeat(projection)`: the projection applied again to each new item until nothing new
    /// appears (N1 §5.2); items already seen are not followed again, so cycles end.
    ///
    /// Every new item is compared with every item so far. Nodes carry a fingerprint
    /// (`JSONComparison.fingerprint`) so that two nodes are compared in full only when their
    /// fingerprints agree: `repeat(item)` over a response compares each item with all earlier
    /// ones, and those comparisons were most of its time (Benchmarks/README.md, "Scoring").
    private func repeatProjection(_ input: [FHIRPathValue], _ projection: FHIRPathSyntax, context: Context) throws(FHIRPathError) -> [FHIRPathValue] {
        var result: [FHIRPathValue] = []
        var fingerprints: [Int?] = []
        var pending = input
        while !pending.isEmpty {
            var next: [FHIRPathValue] = []
            for (offset, item) in pending.enumerated() {
                let focus = [item]
                let produced = try evaluate(projection, focus: focus, context: Context(this: focus, index: offset, total: context.total))
                for value in produced {
                    let fingerprint: Int? = if case .node(let node) = value { JSONComparison.fingerprint(node.json) } else { nil }
                    let seen = result.indices.contains { index in
                        if let fingerprint, let other = fingerprints[index], other != fingerprint { return false }
                        return isEqual(value, result[index])
                    }
                    guard !seen else { continue }
                    try charge(result.count / 64 + 1)
                    result.append(value)
                    fingerprints.append(fingerprint)
                    next.append(value)
                }
            }
            pending = next
        }
        return result
    }

    /// `sum`, `min`, `max`, `avg` over numbers (and `min`/`max` over anything comparable). Empty
    /// input gives empty, including `sum()` (FHIRPath 2.0 §"Aggregates": "If the input collection
    /// is empty, the result is empty"; fhirpath.js and fhirpathpy return 0).
    private func aggregate(_ function: FHIRPathFunction, _ input: [FHIRPathValue]) throws(FHIRPathError) -> [FHIRPathValue] {
        guard var result = input.first else { return [] }
        if function == .min || function == .max {
            for item in input.dropFirst() {
                guard let order = try compare(item, result, function.rawValue) else { return [] }
                if order == (function == .min ? .orderedAscending : .orderedDescending) { result = item }
            }
            return [result]
        }
        for item in input.dropFirst() {
            guard let sum = try binary(.plus, [result], [item]).first else { return [] }
            result = sum
        }
        guard function == .avg else { return [result] }
        return try binary(.divide, [result], [.integer(input.count)])
    }
}
