import Foundation
import JSON
import Testing
@testable import Questionnaire

/// What a calculated item's expressions see as `%context` and variables, now that scoring no
/// longer searches the working response for the item (it is never there: its own answer is
/// what is being computed).
@Suite struct EvaluationContextTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func definition(itemExtensions: [JSON], rootExtensions: [JSON] = []) throws -> QuestionnaireDefinition {
        let json = Fixtures.makeQuestionnaire(items: [
            Fixtures.codingChoice("q1"), Fixtures.codingChoice("q2"),
            ScoringRulesLoadTests.total(itemExtensions),
        ], extra: rootExtensions.isEmpty ? [] : [("extension", .array(rootExtensions))])
        return try QuestionnaireDefinition.parse(json, source: "context.json")
    }

    static func answers(_ codes: [String: String]) -> ResponseAnswers {
        var answers = ResponseAnswers()
        for (linkId, code) in codes { answers.set(linkId, [.coding(Coding(system: "http://s", code: code, display: nil))]) }
        return answers
    }

    @Test("a calculated item's %context is the whole working response, in its variables and its expression")
    func contextIsTheResponse() throws {
        let definition = try Self.definition(itemExtensions: [
            ScoringRulesLoadTests.expression(ScoringRulesLoadTests.variable, "%context.repeat(item).count()", name: "items"),
            ScoringRulesLoadTests.expression(ScoringRulesLoadTests.calculated, "iif(%context = %resource, %items * 10 + %context.item.answer.weight().sum(), -1)"),
        ])
        let evaluation = definition.evaluate(Self.answers(["q1": "b", "q2": "c"]), now: Self.now)
        #expect(evaluation.warnings == [])
        #expect(evaluation.scores.map(\.value) == [23])
    }

    @Test("a root variable named linkId is visible to root rules but not to item expressions, as before")
    func linkIdVariableStaysHiddenFromItems() throws {
        let definition = try Self.definition(
            itemExtensions: [ScoringRulesLoadTests.expression(ScoringRulesLoadTests.calculated, "%linkId")],
            rootExtensions: [ScoringRulesLoadTests.expression(ScoringRulesLoadTests.variable, "5", name: "linkId"),
                             ScoringRulesLoadTests.rule(id: "high")])
        let evaluation = definition.evaluate(Self.answers(["q1": "a"]), now: Self.now)
        #expect(evaluation.scores.map(\.value) == [nil])
        #expect(evaluation.warnings.count == 1 && evaluation.warnings[0].contains("linkId"))
    }
}
