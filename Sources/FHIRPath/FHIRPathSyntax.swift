/// The parsed form of an expression (FHIRPath N1 Appendix "Grammar"), with the character
/// position of every operator and call for error messages.
indirect enum FHIRPathSyntax: Sendable {
    /// A literal; `nil` is the empty collection `{}`.
    case literal(FHIRPathValue?)
    /// A collection computed when the expression was compiled (see `folded()`).
    case constant([FHIRPathValue])
    /// An identifier at the start of a path: a member of the focus, or the focus itself when it
    /// names the focus resource's type (`Patient.name`).
    case identifier(String)
    case member(FHIRPathSyntax, String)
    case variable(String, position: Int)
    case this, index, total
    /// A function call; `receiver` is `nil` when invoked on the focus (`where(…)` inside a path).
    case call(receiver: FHIRPathSyntax?, function: FHIRPathFunction, arguments: [FHIRPathSyntax], position: Int)
    case indexer(FHIRPathSyntax, FHIRPathSyntax, position: Int)
    case negate(FHIRPathSyntax, position: Int)
    case binary(FHIRPathBinaryOperator, FHIRPathSyntax, FHIRPathSyntax, position: Int)
    /// `is`/`as` operators and the `is()`, `as()`, `ofType()` functions.
    case type(FHIRPathTypeOperation, receiver: FHIRPathSyntax?, FHIRPathTypeSpecifier, position: Int)
}

/// The binary operators, grouped by precedence in `FHIRPathParser`.
enum FHIRPathBinaryOperator: String, Sendable {
    case implies, or, xor, and, `in`, contains
    case equal = "=", equivalent = "~", notEqual = "!=", notEquivalent = "!~"
    case less = "<", greater = ">", lessOrEqual = "<=", greaterOrEqual = ">="
    case union = "|"
    case plus = "+", minus = "-", concatenate = "&"
    case multiply = "*", divide = "/", div, mod
}

/// What a type test does with its operand.
enum FHIRPathTypeOperation: Sendable {
    /// `is`: a boolean for a single item.
    case `is`
    /// `as`: the item when it has the type, else empty.
    case `as`
    /// `ofType()`: the items of the collection that have the type.
    case ofType
}

/// A type name in `is`, `as` and `ofType`, optionally qualified (`System.Integer`, `FHIR.Coding`).
struct FHIRPathTypeSpecifier: Sendable, Hashable {
    let namespace: String?
    let name: String
}

// MARK: - Depth

extension FHIRPathSyntax {
    /// The expressions this one is built from.
    var operands: [FHIRPathSyntax] {
        switch self {
        case .literal, .constant, .identifier, .variable, .this, .index, .total: return []
        case .member(let base, _): return [base]
        case .call(let receiver, _, let arguments, _): return (receiver.map { [$0] } ?? []) + arguments
        case .indexer(let base, let subscriptSyntax, _): return [base, subscriptSyntax]
        case .negate(let operand, _): return [operand]
        case .binary(_, let left, let right, _): return [left, right]
        case .type(_, let receiver, _, _): return receiver.map { [$0] } ?? []
        }
    }

    /// The length of the longest path from this node to a leaf, computed without recursion so
    /// that measuring a degenerate tree cannot itself overflow the stack.
    var depth: Int {
        var deepest = 0
        var pending: [(FHIRPathSyntax, Int)] = [(self, 1)]
        while let (syntax, depth) = pending.popLast() {
            deepest = Swift.max(deepest, depth)
            pending += syntax.operands.map { ($0, depth + 1) }
        }
        return deepest
    }
}
