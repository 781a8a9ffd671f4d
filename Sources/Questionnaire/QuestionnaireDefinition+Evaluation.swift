import FHIRPath
import Foundation
import JSON

/// One computed score of a response.
public struct Score: Sendable, Hashable {
    /// The calculated item that holds the score.
    public var linkId: String
    /// The item's codes (e.g. LOINC 44261-6 for the PHQ-9 total).
    public var codes: [Coding]
    /// The value; nil when the score could not be computed (missing answers beyond the
    /// instrument's rule, or an evaluation problem recorded in the warnings).
    public var value: Decimal?
    public var unit: Coding?
    /// The band the value falls in, if the item defines bands.
    public var band: ScoreBand?
}

/// Everything a definition's rules say about one set of answers.
public struct Evaluation: Sendable, Hashable {
    /// The answers that count (disabled items pruned) with every calculated item's answer.
    public var answers: ResponseAnswers
    public var scores: [Score]
    /// The flags raised (`suicide_risk`, …).
    public var flags: [ScoreFlagRule]
    public var triage: TriageResult
    /// Problems met while evaluating (an expression that failed at run time); the affected
    /// score is left empty, never guessed.
    public var warnings: [String]

    /// Whether every score could be computed: a response whose instrument could not be scored
    /// under its missing-item rule is incomplete.
    public var isComplete: Bool { scores.allSatisfy { $0.value != nil } }
}

extension QuestionnaireDefinition {
    /// Scores, flags and triages answers with the rules of this exact version.
    ///
    /// Order (SDC): the root variables, then each calculated item in document order with its
    /// own variables first; a calculated value becomes the item's answer, visible to later
    /// expressions through `%resource` and as `%score_<linkId>`. Then the flags, then triage:
    /// every answer condition, the contact wish, and every expression rule with `%threshold`
    /// set to the patient's own value when they have one (`thresholds`, by rule id), else the
    /// rule's default. Pure: the clock and time zone are arguments.
    public func evaluate(_ answers: ResponseAnswers, thresholds: [String: Decimal] = [:], now: Date,
                         timeZone: TimeZone = TimeZone(identifier: "Europe/Copenhagen") ?? .gmt) -> Evaluation {
        var state = EvaluationState(now: now, timeZone: timeZone)
        var kept = pruned(answers)
        for linkId in calculatedLinkIds { kept.remove(linkId) }
        state.answers = kept
        state.refreshResource(self)
        for variable in scoring.variables { state.define(variable, context: nil) }
        var scores: [Score] = []
        for linkId in calculatedLinkIds {
            guard let item = item(linkId: linkId), let expression = item.calculatedExpression else { continue }
            for variable in item.variables { state.define(variable, context: linkId) }
            let value = state.number(expression, context: linkId, owner: linkId)
            if let value {
                state.answers.set(linkId, [item.type == .integer ? .integer(NSDecimalNumber(decimal: value).intValue) : .decimal(value)])
                state.refreshResource(self)
            }
            state.environment.variables["score_" + Self.variableSafe(linkId)] = value.map { [.decimal($0)] } ?? []
            scores.append(Score(linkId: linkId, codes: item.codes, value: value, unit: item.unit,
                                band: value.flatMap { value in item.bands.first { $0.contains(value) } }))
        }
        let flags = scoring.flags.filter { state.holds($0.expression, owner: "flag \($0.code)") }
        var triage = triage(state.answers)
        for rule in scoring.triageRules {
            let threshold = thresholds[rule.id] ?? rule.threshold
            state.environment.variables["threshold"] = threshold.map { [.decimal($0)] } ?? []
            if state.holds(rule.expression, owner: "triage rule \(rule.id)") {
                triage.findings.append(TriageFinding(source: .rule(rule.id), colour: rule.colour, reason: rule.reason))
            }
        }
        return Evaluation(answers: state.answers, scores: scores, flags: flags, triage: triage, warnings: state.warnings)
    }

    /// `%score_<linkId>` needs an identifier: characters FHIRPath does not allow become `_`.
    static func variableSafe(_ linkId: String) -> String {
        String(linkId.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
    }
}

/// The working state of one evaluation: the answers so far, the response built from them, and
/// the FHIRPath environment with every variable defined so far.
private struct EvaluationState {
    var environment: FHIRPathEnvironment
    var answers = ResponseAnswers()
    var warnings: [String] = []
    /// The working response, `%resource`.
    private var resource = FHIRPathNode(json: .null)
    /// `now` as the working response's `authored`, formatted once: formatting goes through ICU.
    private let authored: String

    init(now: Date, timeZone: TimeZone) {
        environment = FHIRPathEnvironment(now: now, timeZone: timeZone)
        authored = now.formatted(.iso8601)
    }

    /// Rebuilds `%resource` (a response of `definition`) after an answer changed.
    mutating func refreshResource(_ definition: QuestionnaireDefinition) {
        let json = definition.makeResponse(answers: answers, id: "evaluation", subject: nil, authored: authored)
        resource = FHIRPathNode(json: json, typeName: "QuestionnaireResponse")
        environment.setResource(resource, questionnaire: definition.questionnaireNode)
    }

    mutating func define(_ variable: NamedExpression, context: String?) {
        environment.variables[variable.name] = evaluate(variable.expression, context: context, owner: "variable \(variable.name)") ?? []
    }

    /// The single number an expression gives, or nil (with a warning when it failed or gave
    /// something else than one number; an empty result is a legitimate "not computed").
    mutating func number(_ expression: DefinitionExpression, context: String?, owner: @autoclosure () -> String) -> Decimal? {
        guard let result = evaluate(expression, context: context, owner: owner()), !result.isEmpty else { return nil }
        switch (result.count, result.first) {
        case (1, .integer(let value)?): return Decimal(value)
        case (1, .decimal(let value)?): return value
        default:
            warnings.append("\(owner()): the expression gave \(result.count) value(s) of type \(result.map(\.typeName).joined(separator: ", ")), not one number")
            return nil
        }
    }

    /// Whether a boolean expression is true (empty and false are not).
    mutating func holds(_ expression: DefinitionExpression, owner: @autoclosure () -> String) -> Bool {
        evaluate(expression, context: nil, owner: owner()) == [.boolean(true)]
    }

    /// Evaluates with `%resource` and `%context` both the working response.
    ///
    /// SDC makes `%context` of an item's expressions the response item with its linkId, but
    /// only calculated items have expressions here: they are integer or decimal questions
    /// (the loader refuses others), and their own answer is removed before they are computed,
    /// so the working response never holds the item and `%context` stays the response. (A
    /// FHIRPath search for the item, `%resource.repeat(item).where(linkId = %linkId)`, ran here
    /// for every calculated item and always came back empty: a third `repeat(item)` per scored
    /// response, Benchmarks/README.md "Scoring".)
    ///
    /// `owner` names the expression in a warning; it is formatted only when there is one.
    private mutating func evaluate(_ expression: DefinitionExpression, context: String?, owner: @autoclosure () -> String) -> [FHIRPathValue]? {
        var environment = self.environment
        // Item-level expressions have never seen a variable named `linkId`: the removed search
        // passed the item's linkId under that name and deleted it afterwards. Kept so that no
        // definition's results change (EvaluationContextTests).
        if context != nil, environment.variables["linkId"] != nil { environment.variables["linkId"] = nil }
        do {
            return try expression.compiled.evaluate([.node(resource)], environment: environment)
        } catch {
            warnings.append("\(owner()): \(error)")
            return nil
        }
    }
}
