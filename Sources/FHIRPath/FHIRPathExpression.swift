import JSON

/// A compiled FHIRPath expression: parse once, evaluate many times.
///
/// Compiling checks the grammar, function names and argument counts (FHIRPath N1 Appendix
/// "Grammar"), so a broken expression in a questionnaire is refused when it is loaded.
///
/// Deliberate limits, each with its reason (see also Tests/FHIRPathTests/Comparison/exceptions.md):
/// - No FHIR model: types come from choice suffixes (`valueCoding` is a Coding), `resourceType`,
///   and a few member names (`extension`, `coding`, `name`, …). Every JSON string is a String,
///   so `is code` is false and `is string` true for a `code`; strings compare with dates and
///   take calendar durations as dates when they parse as one.
/// - Primitive extensions (`_birthDate`) are ignored: `extension()` finds extensions on
///   complex elements only, and `children()` skips `_` members.
/// - Quantities compare and add only with the same unit (or the same calendar duration, and
///   `~` for `year`/`'a'`); no UCUM conversion, so `1 'g' = 1000 'mg'` is empty.
/// - Decimals are Foundation `Decimal` (38 digits, exact); trailing zeros of a literal are not
///   kept, so `1.50.toString()` is `'1.5'`. `exp`, `ln`, `log`, `sqrt` and fractional `power`
///   go through `Double` (15 significant digits).
/// - `matches`/`replaceMatches` use NSRegularExpression, limited to 1,000-character patterns
///   over 10,000-character texts; the step budget cannot interrupt one match.
public struct FHIRPathExpression: Sendable {
    /// The expression text as given.
    public let source: String
    let syntax: FHIRPathSyntax

    /// Parses `source`; errors carry the character position of the problem.
    public static func compile(_ source: String) throws(FHIRPathError) -> FHIRPathExpression {
        FHIRPathExpression(source: source, syntax: try FHIRPathParser.parse(source).folded())
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
