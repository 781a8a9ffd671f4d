import FHIRPath
import Foundation

/// A FHIRPath expression of a definition (SDC `valueExpression` with language `text/fhirpath`),
/// compiled when the definition loads, with the JSON path it was read from so that problems
/// can name it.
public struct DefinitionExpression: Sendable, Hashable {
    public let source: String
    /// Where in the Questionnaire the expression stands (`item[3].extension[0].valueExpression`).
    public let path: String
    /// Parsed once; every evaluation reuses it.
    let compiled: FHIRPathExpression

    init(source: String, path: String, compiled: FHIRPathExpression) {
        self.source = source
        self.path = path
        self.compiled = compiled
    }

    public static func == (lhs: DefinitionExpression, rhs: DefinitionExpression) -> Bool {
        lhs.source == rhs.source && lhs.path == rhs.path
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(source)
        hasher.combine(path)
    }
}

/// An SDC `variable`: a named expression whose value later expressions read as `%name`.
public struct NamedExpression: Sendable, Hashable {
    public var name: String
    public var expression: DefinitionExpression
}

/// A band of a score (`http://byneed.dk/fhir/StructureDefinition/score-band`): `low` and `high`
/// inclusive, either may be open.
public struct ScoreBand: Sendable, Hashable {
    public var low: Decimal?
    public var high: Decimal?
    public var code: String
    public var display: LocalizedText

    /// Whether `value` lies in the band.
    public func contains(_ value: Decimal) -> Bool {
        (low.map { value >= $0 } ?? true) && (high.map { value <= $0 } ?? true)
    }
}

/// A flag raised by an expression (`http://byneed.dk/fhir/StructureDefinition/score-flag`),
/// such as PHQ-9's `suicide_risk`; evaluated even when a score is incomplete.
public struct ScoreFlagRule: Sendable, Hashable {
    public var code: String
    public var expression: DefinitionExpression
    public var display: LocalizedText
}

/// An expression rule of triage (`http://byneed.dk/fhir/StructureDefinition/triage-rule`).
public struct TriageRule: Sendable, Hashable {
    /// The stable name per-patient threshold overrides refer to.
    public var id: String
    public var expression: DefinitionExpression
    /// The default value of `%threshold`.
    public var threshold: Decimal?
    public var colour: TriageColour
    public var reason: LocalizedText
}

/// The scoring and triage rules of a definition's root (docs/scoring-and-triage.md).
public struct ScoringRules: Sendable, Hashable {
    public var variables: [NamedExpression] = []
    public var flags: [ScoreFlagRule] = []
    public var triageRules: [TriageRule] = []

    /// Whether the definition computes or checks anything by expression.
    public var isEmpty: Bool { variables.isEmpty && flags.isEmpty && triageRules.isEmpty }
}
