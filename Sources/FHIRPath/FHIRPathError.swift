/// Everything that can go wrong compiling or evaluating a FHIRPath expression.
///
/// Positions are zero-based character offsets into the expression source, so an editor can
/// point at the offending token (FHIRPath N1 §"Grammar" defines the tokens).
public enum FHIRPathError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text does not follow the FHIRPath grammar.
    case syntax(position: Int, message: String)
    /// A function name that the engine does not implement.
    case unknownFunction(name: String, position: Int)
    /// A function called with too few or too many arguments.
    case arity(name: String, position: Int, expected: ClosedRange<Int>, actual: Int)
    /// An operand or argument of the wrong type (N1 §"Type safety and strict evaluation").
    case type(String)
    /// A collection with more than one item where one item was required (N1 §4.4 "Singleton evaluation").
    case singletonExpected(operation: String, count: Int)
    /// Integer arithmetic left the 64-bit range; FHIRPath integers are 32-bit, ours are wider but still finite.
    case overflow(operation: String)
    /// A `%variable` that the environment does not define.
    case unknownVariable(name: String, position: Int)
    /// The evaluation used more steps than `FHIRPathEnvironment.stepBudget` allows.
    case budgetExceeded(steps: Int)
    /// A string or collection grew past `FHIRPathEnvironment.maxCollectionSize` / `maxStringLength`.
    case tooLarge(String)
    /// A regular expression argument that does not compile.
    case invalidRegex(pattern: String)

    public var description: String {
        switch self {
        case .syntax(let position, let message):
            return "syntax error at character \(position): \(message)"
        case .unknownFunction(let name, let position):
            return "unknown function '\(name)' at character \(position)"
        case .arity(let name, let position, let expected, let actual):
            let wanted = expected.lowerBound == expected.upperBound
                ? "\(expected.lowerBound)" : "\(expected.lowerBound) to \(expected.upperBound)"
            return "function '\(name)' at character \(position) takes \(wanted) argument(s), not \(actual)"
        case .type(let message):
            return "type error: \(message)"
        case .singletonExpected(let operation, let count):
            return "\(operation) needs a single item, but the collection has \(count)"
        case .overflow(let operation):
            return "integer overflow in \(operation)"
        case .unknownVariable(let name, let position):
            return "unknown variable '%\(name)' at character \(position)"
        case .budgetExceeded(let steps):
            return "evaluation stopped after \(steps) steps (the step budget)"
        case .tooLarge(let message):
            return "result too large: \(message)"
        case .invalidRegex(let pattern):
            return "invalid regular expression '\(pattern)'"
        }
    }
}
