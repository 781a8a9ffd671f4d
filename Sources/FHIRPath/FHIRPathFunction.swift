/// The functions the engine implements, with how many arguments each takes.
///
/// Names are checked when an expression is compiled, so a typo fails at load time with its
/// position rather than silently yielding empty at scoring time (FHIRPath N1 §5 "Functions";
/// `ordinal`/`weight` from FHIR SDC §"weight()").
enum FHIRPathFunction: String, Sendable {
    // Existence (N1 §5.1)
    case empty, exists, all, allTrue, anyTrue, allFalse, anyFalse, subsetOf, supersetOf, count, distinct, isDistinct
    // Filtering and projection (§5.2)
    case `where`, select, `repeat`
    // Subsetting (§5.3)
    case single, first, last, tail, skip, take, intersect, exclude
    // Combining (§5.4)
    case union, combine
    // Conversion (§5.5)
    case iif, toBoolean, convertsToBoolean, toInteger, convertsToInteger, toDecimal, convertsToDecimal
    case toString, convertsToString, toDate, convertsToDate, toDateTime, convertsToDateTime, toTime, convertsToTime
    case toQuantity, convertsToQuantity
    // Strings (§5.6)
    case indexOf, substring, startsWith, endsWith, contains, upper, lower, replace, matches, replaceMatches
    case length, toChars, trim, split, join
    // Math (§5.7)
    case abs, ceiling, exp, floor, ln, log, power, round, sqrt, truncate
    // Tree navigation (§5.8)
    case children, descendants
    // Utility (§5.9)
    case trace, now, timeOfDay, today
    // Aggregates (§7) and boolean (§6.5)
    case aggregate, sum, min, max, avg, not
    // FHIR extensions to FHIRPath (FHIR R4 §2.1.9.1.6)
    case `extension`, hasValue
    // SDC
    case ordinal, weight

    /// The numbers of arguments the function accepts.
    var arity: ClosedRange<Int> {
        switch self {
        case .exists, .round, .join, .toQuantity, .convertsToQuantity: return 0...1
        case .all, .where, .select, .repeat, .skip, .take, .intersect, .exclude, .union, .combine, .subsetOf,
             .supersetOf, .indexOf, .startsWith, .endsWith, .contains, .matches, .split, .log, .power, .extension:
            return 1...1
        case .iif: return 2...3
        case .substring, .trace, .aggregate: return 1...2
        case .replace, .replaceMatches: return 2...2
        default: return 0...0
        }
    }
}
