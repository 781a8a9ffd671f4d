import Foundation
import Testing
import JSON
@testable import Questionnaire

@Suite struct EnableWhenTests {
    typealias F = Fixtures

    static let s = "http://s"
    static func coding(_ code: String, system: String? = s) -> AnswerValue {
        .coding(Coding(system: system, code: code))
    }
    static func celsius(_ value: String) -> AnswerValue {
        .quantity(Quantity(value: Decimal(string: value)!, unit: "°C", system: "http://unitsofmeasure.org", code: "Cel"))
    }
    static func dec(_ text: String) -> AnswerValue { .decimal(Decimal(string: text)!) }

    /// FHIR R4 questionnaire-enable-operator definitions, one row per operator and type.
    static let truthTable: [(EnableWhenOperator, AnswerValue, [AnswerValue], Bool)] = [
        (.exists, .boolean(true), [], false),
        (.exists, .boolean(true), [.integer(1)], true),
        (.exists, .boolean(false), [], true),
        (.exists, .boolean(false), [.string("x")], false),
        (.equal, .integer(3), [.integer(3)], true),
        (.equal, .integer(3), [.integer(4)], false),
        (.equal, .integer(3), [], false),
        (.notEqual, .integer(3), [.integer(3)], false),
        (.notEqual, .integer(3), [.integer(4)], true),
        (.notEqual, .integer(3), [], true),
        (.greaterThan, .integer(3), [.integer(4)], true),
        (.greaterThan, .integer(3), [.integer(3)], false),
        (.greaterThan, .integer(3), [], false),
        (.lessThan, .integer(3), [.integer(2)], true),
        (.lessThan, .integer(3), [.integer(3)], false),
        (.greaterOrEqual, .integer(3), [.integer(3)], true),
        (.greaterOrEqual, .integer(3), [.integer(2)], false),
        (.lessOrEqual, .integer(3), [.integer(3)], true),
        (.lessOrEqual, .integer(3), [.integer(4)], false),
        (.equal, dec("1.50"), [dec("1.5")], true),
        (.greaterThan, dec("1.5"), [dec("1.51")], true),
        (.lessThan, dec("1.5"), [dec("1.49")], true),
        (.equal, .boolean(true), [.boolean(true)], true),
        (.notEqual, .boolean(true), [.boolean(false)], true),
        (.equal, .boolean(true), [.boolean(false)], false),
        (.equal, .string("ja"), [.string("ja")], true),
        (.notEqual, .string("ja"), [.string("nej")], true),
        (.greaterThan, .string("b"), [.string("c")], true),
        (.equal, .date("2024-05-01"), [.date("2024-05-01")], true),
        (.greaterThan, .date("2024-05-01"), [.date("2024-05-02")], true),
        (.lessOrEqual, .date("2024-05-01"), [.date("2024-06-01")], false),
        (.equal, .dateTime("2024-05-01T10:00:00+02:00"), [.dateTime("2024-05-01T08:00:00Z")], true),
        (.lessThan, .dateTime("2024-05-01T10:00:00+02:00"), [.dateTime("2024-05-01T07:59:00Z")], true),
        (.equal, coding("a"), [.coding(Coding(system: s, code: "a", display: "A"))], true),
        (.equal, coding("a", system: nil), [coding("a")], true),
        (.equal, coding("a", system: "http://other"), [coding("a")], false),
        (.notEqual, coding("a"), [coding("b")], true),
        (.equal, coding("b"), [coding("a"), coding("b")], true),
        (.notEqual, coding("b"), [coding("a"), coding("b")], false),
        (.greaterOrEqual, celsius("38"), [celsius("38.0")], true),
        (.greaterThan, celsius("39"), [celsius("38.5")], false),
        (.greaterThan, celsius("39"), [.quantity(Quantity(value: 40, unit: "°F", system: "http://unitsofmeasure.org", code: "[degF]"))], false),
        (.lessThan, celsius("36"), [celsius("35.9")], true),
    ]

    @Test("each operator holds exactly as FHIR R4 defines it", arguments: truthTable)
    func operatorTruth(op: EnableWhenOperator, answer: AnswerValue, given: [AnswerValue], expected: Bool) {
        #expect(EnableWhen(question: "q", operator: op, answer: answer).holds(for: given) == expected)
    }

    // MARK: In a definition

    static func condition(_ question: String, _ op: String, _ element: String, _ value: JSON) -> JSON {
        .object(JSONObject([("question", .string(question)), ("operator", .string(op)), (element, value)]))
    }

    static func combined() throws -> QuestionnaireDefinition {
        try F.definition([
            F.item("a", "integer"),
            F.item("b", "boolean"),
            F.item("any", "string", ("enableBehavior", "any"), ("enableWhen", [
                condition("a", ">", "answerInteger", 5), condition("b", "=", "answerBoolean", true)])),
            F.item("all", "string", ("enableBehavior", "all"), ("enableWhen", [
                condition("a", ">", "answerInteger", 5), condition("b", "=", "answerBoolean", true)])),
        ])
    }

    @Test("any needs one condition, all needs every condition", arguments: [
        (nil as Int?, nil as Bool?, false, false),
        (6, nil, true, false),
        (nil, true, true, false),
        (6, true, true, true),
        (1, false, false, false),
    ])
    func anyAndAll(a: Int?, b: Bool?, anyEnabled: Bool, allEnabled: Bool) throws {
        let definition = try Self.combined()
        var answers = ResponseAnswers()
        if let a { answers.set("a", [.integer(a)]) }
        if let b { answers.set("b", [.boolean(b)]) }
        let enabled = definition.enabledLinkIds(answers)
        #expect(enabled.contains("any") == anyEnabled)
        #expect(enabled.contains("all") == allEnabled)
        #expect(enabled.isSuperset(of: ["a", "b"]))
    }

    static func chain() throws -> QuestionnaireDefinition {
        try F.definition([
            F.item("has-pain", "boolean"),
            F.item("g", "group", ("enableWhen", [condition("has-pain", "=", "answerBoolean", true)]), ("item", [
                F.item("score", "integer"),
                F.item("inner", "group", ("item", [F.item("where", "string")])),
            ])),
            F.item("follow-up", "string", ("enableWhen", [condition("score", "exists", "answerBoolean", true)])),
            F.item("earlier", "string", ("enableWhen", [condition("late", "=", "answerString", "x")])),
            F.item("late", "string"),
        ])
    }

    @Test func disabledParentDisablesEveryDescendant() throws {
        let definition = try Self.chain()
        let off = definition.enabledLinkIds(ResponseAnswers(["has-pain": [.boolean(false)], "score": [.integer(3)]]))
        #expect(off.isDisjoint(with: ["g", "score", "inner", "where"]))
        let on = definition.enabledLinkIds(ResponseAnswers(["has-pain": [.boolean(true)]]))
        #expect(on.isSuperset(of: ["g", "score", "inner", "where"]))
    }

    @Test func answerOfDisabledItemCountsAsUnanswered() throws {
        let definition = try Self.chain()
        let stale = ResponseAnswers(["has-pain": [.boolean(false)], "score": [.integer(3)]])
        #expect(!definition.isEnabled("follow-up", answers: stale))
        let live = ResponseAnswers(["has-pain": [.boolean(true)], "score": [.integer(3)]])
        #expect(definition.isEnabled("follow-up", answers: live))
    }

    @Test func conditionsMayPointForward() throws {
        let definition = try Self.chain()
        #expect(definition.isEnabled("earlier", answers: ResponseAnswers(["late": [.string("x")]])))
        #expect(!definition.isEnabled("earlier", answers: ResponseAnswers()))
    }

    @Test func pruningDropsAnswersOfDisabledAndUnknownItems() throws {
        let definition = try Self.chain()
        let answers = ResponseAnswers([
            "has-pain": [.boolean(false)], "score": [.integer(3)], "where": [.string("knæ")],
            "follow-up": [.string("x")], "late": [.string("y")], "ghost": [.string("z")],
        ])
        #expect(definition.pruned(answers) == ResponseAnswers(["has-pain": [.boolean(false)], "late": [.string("y")]]))
    }

    @Test func shippedDemoConditionsWork() throws {
        let demo = try F.shipped("demo-all-types.json")
        let answers = ResponseAnswers([
            "had-symptoms": [.boolean(true)],
            "symptoms": [.coding(Coding(system: "http://byneed.dk/fhir/CodeSystem/demo-symptom", code: "joint-pain"))],
            "pain-score": [.integer(9)], "doses": [.integer(4)], "temperature": [Self.celsius("39.5")], "steps": [.integer(200)],
        ])
        let enabled = demo.enabledLinkIds(answers)
        #expect(enabled.isSuperset(of: ["symptom-details", "pain-score", "pain-site", "symptom-start", "fever-advice",
                                         "fever-contacted", "low-activity-reason", "last-dose", "side-effects", "call-advice"]))
        #expect(!enabled.contains("weight-loss"))
        let calm = demo.enabledLinkIds(ResponseAnswers(["had-symptoms": [.boolean(false)], "doses": [.integer(0)], "steps": [.integer(5000)]]))
        #expect(calm.isDisjoint(with: ["symptom-details", "pain-score", "last-dose", "side-effects", "call-advice", "low-activity-reason", "fever-advice"]))
    }
}
