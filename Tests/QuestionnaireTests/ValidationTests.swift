import Foundation
import Testing
import JSON
@testable import Questionnaire

@Suite struct ValidationTests {
    typealias F = Fixtures

    static let form: QuestionnaireDefinition = try! F.definition([
        F.item("g", "group", ("text", "Side 1"), ("item", [
            F.codingChoice("c", ("required", true)),
            F.item("i", "integer", ("extension", [F.extensionValue("minValue", "valueInteger", 0), F.extensionValue("maxValue", "valueInteger", 10)])),
            F.item("d", "decimal", ("extension", [F.extensionValue("minValue", "valueDecimal", 1.5)])),
            F.item("s", "string", ("maxLength", 5)),
            F.item("dt", "date", ("extension", [F.extensionValue("minValue", "valueDate", "2020-01-01"), F.extensionValue("maxValue", "valueDate", "2030-12-31")])),
            F.item("ro", "string", ("readOnly", true), ("initial", [["valueString": "fast"]])),
            F.item("b", "boolean"),
            F.item("only-if-b", "integer", ("required", true), ("enableWhen", [["question": "b", "operator": "=", "answerBoolean": true]])),
        ])),
        F.item("g2", "group", ("required", true), ("item", [F.item("x", "string"), F.item("y", "string")])),
        F.item("q", "quantity", ("extension", [F.extensionValue("questionnaire-unit", "valueCoding", ["system": "http://unitsofmeasure.org", "code": "kg"])])),
    ])

    static let ok: [String: [AnswerValue]] = ["c": [.coding(Coding(system: "http://s", code: "a"))], "x": [.string("x")]]

    /// Answers (merged over `ok`) → expected issues on every page.
    static let rows: [(String, [String: [AnswerValue]], [ValidationIssue])] = [
        ("complete answers", [:], []),
        ("required missing", ["c": []], [ValidationIssue(linkId: "c", problem: .required(.choice))]),
        ("below minimum", ["i": [.integer(-1)]], [ValidationIssue(linkId: "i", problem: .belowMinimum(.integer(0)))]),
        ("above maximum", ["i": [.integer(11)]], [ValidationIssue(linkId: "i", problem: .aboveMaximum(.integer(10)))]),
        ("bounds inclusive", ["i": [.integer(10)], "d": [.decimal(Decimal(string: "1.5")!)]], []),
        ("decimal minimum", ["d": [.decimal(Decimal(string: "1.49")!)]], [ValidationIssue(linkId: "d", problem: .belowMinimum(.decimal(Decimal(string: "1.5")!)))]),
        ("too long", ["s": [.string("seks t")]], [ValidationIssue(linkId: "s", problem: .tooLong(maxLength: 5))]),
        ("length counts characters", ["s": [.string("æøåÆØ")]], []),
        ("date before minimum", ["dt": [.date("2019-12-31")]], [ValidationIssue(linkId: "dt", problem: .belowMinimum(.date("2020-01-01")))]),
        ("date after maximum", ["dt": [.date("2031-01-01")]], [ValidationIssue(linkId: "dt", problem: .aboveMaximum(.date("2030-12-31")))]),
        ("unknown option", ["c": [.coding(Coding(system: "http://s", code: "z"))]], [ValidationIssue(linkId: "c", problem: .notAnOption)]),
        ("too many answers", ["c": [.coding(Coding(system: "http://s", code: "a")), .coding(Coding(system: "http://s", code: "b"))]],
         [ValidationIssue(linkId: "c", problem: .tooManyAnswers)]),
        ("wrong type", ["i": [.string("12")]], [ValidationIssue(linkId: "i", problem: .wrongType)]),
        ("read-only changed", ["ro": [.string("andet")]], [ValidationIssue(linkId: "ro", problem: .readOnly)]),
        ("read-only kept", ["ro": [.string("fast")]], []),
        ("enabled required", ["b": [.boolean(true)]], [ValidationIssue(linkId: "only-if-b", problem: .required(.integer))]),
        ("disabled required ignored", ["b": [.boolean(false)]], []),
        ("disabled answer ignored", ["b": [.boolean(false)], "only-if-b": [.string("wrong type")]], []),
        ("required group empty", ["x": []], [ValidationIssue(linkId: "g2", problem: .required(.group))]),
        ("wrong unit", ["q": [.quantity(Quantity(value: 1, unit: "g", system: "http://unitsofmeasure.org", code: "g"))]],
         [ValidationIssue(linkId: "q", problem: .unknownUnit)]),
    ]

    @Test("answers are checked against the item's rules", arguments: rows)
    func validates(name: String, overrides: [String: [AnswerValue]], expected: [ValidationIssue]) {
        let answers = ResponseAnswers(Self.ok.merging(overrides) { $1 })
        #expect(Self.form.validateAll(answers) == expected, "\(name)")
    }

    @Test func pageValidationOnlyChecksThatPage() {
        let answers = ResponseAnswers(["i": [.integer(99)]])
        #expect(Self.form.validate(page: 0, answers: answers).map(\.linkId) == ["c", "i"])
        #expect(Self.form.validate(page: 1, answers: answers).map(\.linkId) == ["g2"])
        #expect(Self.form.validate(page: 2, answers: answers).isEmpty)
    }

    /// Messages a patient reads, in Danish (default) and English.
    static let messages: [(ValidationProblem, String, String)] = [
        (.required(.choice), "Vælg et svar.", "Choose an answer."),
        (.required(.string), "Skriv et svar.", "Please write an answer."),
        (.notAnInteger, "Skriv et helt tal, fx 12.", "Enter a whole number, for example 12."),
        (.notADecimal, "Skriv et tal, fx 12,5.", "Enter a number, for example 12.5."),
        (.belowMinimum(.integer(0)), "Tallet skal være mindst 0.", "The number must be at least 0."),
        (.aboveMaximum(.decimal(Decimal(string: "1.5")!)), "Tallet må højst være 1,5.", "The number must be at most 1.5."),
        (.belowMinimum(.date("2020-01-01")), "Datoen må ikke være før 01.01.2020.", "The date cannot be before 2020-01-01."),
        (.tooLong(maxLength: 5), "Svaret må højst være 5 tegn langt.", "The answer can be at most 5 characters long."),
        (.tooManyAnswers, "Vælg kun ét svar.", "Choose only one answer."),
        (.unknownOption, "Vælg et af svarene på listen.", "Choose one of the answers in the list."),
        (.missingUnit, "Vælg en enhed.", "Choose a unit."),
    ]

    @Test("messages are plain Danish by default and English for en", arguments: messages)
    func messageTexts(problem: ValidationProblem, danish: String, english: String) {
        let issue = ValidationIssue(linkId: "x", problem: problem)
        #expect(issue.message(language: "da") == danish)
        #expect(issue.message(language: "fr") == danish)
        #expect(issue.message(language: "en") == english)
        #expect(issue.message(language: "en-GB") == english)
    }
}
