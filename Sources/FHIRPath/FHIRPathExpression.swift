import JSON

/// A compiled FHIRPath expression: parse once, evaluate many times.
///
/// Compiling checks the grammar, function names and argument counts (FHIRPath N1 Appendix
/// "Grammar"), so a broken expression in a questionnaire is refused when it is loaded.
public struct FHIRPathExpression: Sendable {
    /// The expression text as given.
    public let source: String
    let syntax: FHIRPathSyntax

    /// Parses `source`; errors carry the character position of the problem.
    public static func compile(_ source: String) throws(FHIRPathError) -> FHIRPathExpression {
        FHIRPathExpression(source: source, syntax: try FHIRPathParser.parse(source))
    }

    /// Evaluates over `input` (the root resource, or nothing) and returns the result collection.
    public func evaluate(_ input: JSON?, environment: FHIRPathEnvironment) throws(FHIRPathError) -> [FHIRPathValue] {
        let focus: [FHIRPathValue] = input.flatMap { FHIRPathValue.from($0, fhirType: nil, name: nil, parent: nil) }.map { [$0] } ?? []
        return try evaluate(focus, environment: environment)
    }

    /// Evaluates over an input collection (a node from an earlier result, say).
    public func evaluate(_ input: [FHIRPathValue], environment: FHIRPathEnvironment) throws(FHIRPathError) -> [FHIRPathValue] {
        let evaluator = FHIRPathEvaluator(environment: environment)
        return try evaluator.evaluate(syntax, focus: input, context: FHIRPathEvaluator.Context(this: input))
    }
}
