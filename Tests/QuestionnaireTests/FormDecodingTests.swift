import Foundation
import Testing
import JSON
@testable import Questionnaire

@Suite struct FormDecodingTests {
    typealias F = Fixtures

    static func unit(_ code: String) -> JSON {
        F.extensionValue("questionnaire-unitOption", "valueCoding", ["system": "http://unitsofmeasure.org", "code": .string(code), "display": .string(code)])
    }

    /// One page with one item of every input kind.
    static let form: QuestionnaireDefinition = try! F.definition([
        F.item("i", "integer"), F.item("d", "decimal"), F.item("dt", "date"), F.item("dtm", "dateTime"),
        F.item("s", "string"), F.item("t", "text"), F.item("b", "boolean"),
        F.codingChoice("c"), F.codingChoice("cr", ("repeats", true)),
        F.item("oc", "open-choice", ("answerOption", [["valueString": "Smerter"], ["valueString": "Træthed"]])),
        F.item("qu", "quantity", ("extension", [unit("kg"), unit("g")])),
        F.item("q1", "quantity", ("extension", [F.extensionValue("questionnaire-unit", "valueCoding", ["system": "http://unitsofmeasure.org", "code": "Cel", "display": "°C"])])),
        F.item("ro", "string", ("readOnly", true), ("initial", [["valueString": "fast"]])),
    ])

    static func dec(_ text: String) -> AnswerValue { .decimal(Decimal(string: text)!) }
    static func quantity(_ value: String, _ code: String, _ unit: String? = nil) -> AnswerValue {
        .quantity(Quantity(value: Decimal(string: value)!, unit: unit ?? code, system: "http://unitsofmeasure.org", code: code))
    }
    static func option(_ code: String) -> AnswerValue {
        .coding(Coding(system: "http://s", code: code, display: code.uppercased()))
    }

    /// Posted fields (short names: `x` means `a.x`) → expected answers and problems.
    static let rows: [(String, [(String, String)], [String: [AnswerValue]], [ValidationProblem])] = [
        ("comma decimal", [("d", "12,5")], ["d": [dec("12.5")]], []),
        ("point decimal", [("d", "12.5")], ["d": [dec("12.5")]], []),
        ("negative comma decimal", [("d", "-0,25")], ["d": [dec("-0.25")]], []),
        ("leading separator", [("d", ",5")], ["d": [dec("0.5")]], []),
        ("thousands separator", [("d", "1.000,5")], [:], [.notADecimal]),
        ("text as decimal", [("d", "tolv")], [:], [.notADecimal]),
        ("integer", [("i", " 12 ")], ["i": [.integer(12)]], []),
        ("integer with decimals", [("i", "12,0")], [:], [.notAnInteger]),
        ("empty means no answer", [("i", ""), ("d", "  ")], [:], []),
        ("leap day", [("dt", "2024-02-29")], ["dt": [.date("2024-02-29")]], []),
        ("no leap day", [("dt", "2023-02-29")], [:], [.invalidDate]),
        ("danish date order", [("dt", "29-02-2024")], [:], [.invalidDate]),
        ("summer time", [("dtm", "2024-07-01T14:30")], ["dtm": [.dateTime("2024-07-01T14:30:00+02:00")]], []),
        ("winter time", [("dtm", "2024-01-15T09:05")], ["dtm": [.dateTime("2024-01-15T09:05:00+01:00")]], []),
        ("with seconds", [("dtm", "2024-01-15T09:05:07")], ["dtm": [.dateTime("2024-01-15T09:05:07+01:00")]], []),
        ("skipped hour at DST start", [("dtm", "2024-03-31T02:30")], [:], [.nonexistentLocalTime]),
        ("repeated hour at DST end takes first", [("dtm", "2024-10-27T02:30")], ["dtm": [.dateTime("2024-10-27T02:30:00+02:00")]], []),
        ("bad month", [("dtm", "2024-13-01T10:00")], [:], [.invalidDateTime]),
        ("boolean", [("b", "false")], ["b": [.boolean(false)]], []),
        ("boolean word", [("b", "ja")], [:], [.notABoolean]),
        ("option index", [("c", "1")], ["c": [option("b")]], []),
        ("option out of range", [("c", "3")], [:], [.unknownOption]),
        ("option not a number", [("c", "b")], [:], [.unknownOption]),
        ("two options on single choice", [("c", "0"), ("c", "1")], [:], [.tooManyAnswers]),
        ("multi-select", [("cr", "0"), ("cr", "2")], ["cr": [option("a"), option("c")]], []),
        ("open choice option", [("oc", "1")], ["oc": [.string("Træthed")]], []),
        ("open choice other text", [("oc.other", "Hovedpine")], ["oc": [.string("Hovedpine")]], []),
        ("open choice both", [("oc", "0"), ("oc.other", "Hovedpine")], [:], [.tooManyAnswers]),
        ("quantity with unit", [("qu", "70,5"), ("qu.unit", "0")], ["qu": [quantity("70.5", "kg")]], []),
        ("quantity second unit", [("qu", "500"), ("qu.unit", "1")], ["qu": [quantity("500", "g")]], []),
        ("quantity without unit choice", [("qu", "70")], [:], [.missingUnit]),
        ("quantity unknown unit", [("qu", "70"), ("qu.unit", "5")], [:], [.unknownUnit]),
        ("quantity fixed unit", [("q1", "37,2")], ["q1": [quantity("37.2", "Cel", "°C")]], []),
        ("string kept", [("s", "Panodil")], ["s": [.string("Panodil")]], []),
        ("text line breaks", [("t", "en\r\nto")], ["t": [.string("en\nto")]], []),
        ("read-only not accepted", [("ro", "ændret")], [:], [.readOnly]),
    ]

    @Test("posted fields decode to answers or issues", arguments: rows)
    func decodes(name: String, fields: [(String, String)], answers: [String: [AnswerValue]], problems: [ValidationProblem]) {
        let posted = fields.map { (name: "a." + $0.0, value: $0.1) }
        let result = Self.form.decode(page: 0, fields: posted, language: "da", timeZone: F.copenhagen)
        #expect(result.answers == ResponseAnswers(answers), "\(name)")
        #expect(result.issues.map(\.problem) == problems, "\(name)")
    }

    @Test func decodingCoversEveryEditableItemOfThePage() {
        let result = Self.form.decode(page: 0, fields: [], language: "da", timeZone: F.copenhagen)
        #expect(result.decodedLinkIds == ["i", "d", "dt", "dtm", "s", "t", "b", "c", "cr", "oc", "qu", "q1"])
    }

    @Test func fieldNamesArePrefixed() {
        #expect(Self.form.fieldName(for: "q1") == "a.q1")
        #expect(Self.form.otherFieldName(for: "oc") == "a.oc.other")
        #expect(Self.form.unitFieldName(for: "qu") == "a.qu.unit")
    }

    @Test("form fields written for answers decode back to the same answers", arguments: [
        ["c": [option("b")]],
        ["cr": [option("a"), option("c")]],
        ["dtm": [.dateTime("2024-07-01T14:30:00+02:00")]],
        ["qu": [quantity("70.5", "kg")], "d": [dec("1.25")], "i": [.integer(-3)]],
        ["oc": [.string("Hovedpine")], "b": [.boolean(true)], "dt": [.date("2024-02-29")]],
    ] as [[String: [AnswerValue]]])
    func formFieldsRoundTrip(values: [String: [AnswerValue]]) {
        let answers = ResponseAnswers(values)
        let fields = answers.linkIds.flatMap { Self.form.formFields(for: $0, answers: answers, timeZone: F.copenhagen) }
        let decoded = Self.form.decode(page: 0, fields: fields, language: "da", timeZone: F.copenhagen)
        #expect(decoded.issues.isEmpty)
        #expect(decoded.answers == answers)
    }

    @Test func mergingAPageReplacesOnlyItsItems() {
        var draft = ResponseAnswers(["i": [.integer(1)], "other-page": [.string("x")]])
        let page = Self.form.decode(page: 0, fields: [(name: "a.d", value: "2,5")], language: "da", timeZone: F.copenhagen)
        draft.merge(page.answers, replacing: page.decodedLinkIds)
        #expect(draft == ResponseAnswers(["d": [Self.dec("2.5")], "other-page": [.string("x")]]))
    }
}
