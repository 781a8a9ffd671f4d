import JSON
import Testing
@testable import Questionnaire

/// Answer significance (docs/scoring-and-triage.md, after FUT's answerSignificance) and the
/// contact wish: loading the rules, and the colour and reasons they give.
@Suite struct TriageTests {
    /// An answer-significance extension with Danish and English reasons.
    static func significance(_ op: String, _ answer: (String, JSON), colour: String, reason: String = "Grund") -> JSON {
        let reasonPart: JSON = ["url": "reason", "valueString": .string(reason),
                                "_valueString": ["extension": [["url": "http://hl7.org/fhir/StructureDefinition/translation",
                                                                "extension": [["url": "lang", "valueCode": "en"],
                                                                              ["url": "content", "valueString": .string("Reason " + reason)]]]]]]
        return ["url": "http://byneed.dk/fhir/StructureDefinition/answer-significance",
                "extension": [["url": "operator", "valueCode": .string(op)],
                              .object(JSONObject([("url", "answer"), answer])),
                              ["url": "colour", "valueCode": .string(colour)],
                              reasonPart]]
    }

    static let contactCode: JSON = [["system": "http://byneed.dk/fhir/CodeSystem/byneed", "code": "contact-wish"]]

    static let definition: QuestionnaireDefinition = {
        let seizures = Fixtures.item("seizures", "integer", ("extension", [
            significance(">=", ("valueInteger", 3), colour: "yellow", reason: "Flere anfald"),
            significance(">=", ("valueInteger", 10), colour: "red", reason: "Mange anfald"),
        ]))
        let mood = Fixtures.codingChoice("mood", ("extension", [
            significance("=", ("valueCoding", ["system": "http://s", "code": "c"]), colour: "red", reason: "Tanker om selvmord"),
            significance("!=", ("valueCoding", ["system": "http://s", "code": "a"]), colour: "yellow", reason: "Ikke godt"),
        ]))
        let injured = Fixtures.item("injured", "boolean", ("extension", [
            significance("=", ("valueBoolean", true), colour: "red", reason: "Skade"),
        ]))
        let details = Fixtures.item("details", "string",
                                    ("enableWhen", [["question": "injured", "operator": "=", "answerBoolean": true]]),
                                    ("extension", [significance("exists", ("valueBoolean", true), colour: "yellow", reason: "Beskrivelse")]))
        let contact: JSON = .object(JSONObject([
            ("linkId", "contact"), ("type", "choice"), ("code", contactCode),
            ("answerOption", .array(["no", "call-me", "appointment"].map {
                ["valueCoding": ["system": "http://byneed.dk/fhir/CodeSystem/contact-wish", "code": .string($0)]]
            })),
        ]))
        return try! Fixtures.definition([seizures, mood, injured, details, contact])
    }()

    static func coding(_ code: String, _ system: String = "http://s") -> AnswerValue {
        .coding(Coding(system: system, code: code))
    }

    @Test(arguments: [
        ("nothing answered", [:], TriageColour.green, [String]()),
        ("2 seizures: below both", ["seizures": [AnswerValue.integer(2)]], .green, []),
        ("3 seizures: yellow boundary", ["seizures": [.integer(3)]], .yellow, ["answer:seizures"]),
        ("9 seizures: still yellow", ["seizures": [.integer(9)]], .yellow, ["answer:seizures"]),
        ("10 seizures: both fire, red wins", ["seizures": [.integer(10)]], .red, ["answer:seizures", "answer:seizures"]),
        ("mood c is red (and not a)", ["mood": [coding("c")]], .red, ["answer:mood", "answer:mood"]),
        ("mood b is not a: yellow", ["mood": [coding("b")]], .yellow, ["answer:mood"]),
        ("mood a is green", ["mood": [coding("a")]], .green, []),
        ("injury red, its details yellow", ["injured": [.boolean(true)], "details": [.string("faldt")]], .red, ["answer:injured", "answer:details"]),
        ("details of a disabled item do not count", ["injured": [.boolean(false)], "details": [.string("x")]], .green, []),
        ("contact: no thanks", ["contact": [coding("no", "http://byneed.dk/fhir/CodeSystem/contact-wish")]], .green, []),
        ("contact: call me is red", ["contact": [coding("call-me", "http://byneed.dk/fhir/CodeSystem/contact-wish")]], .red, ["contact-wish:contact"]),
        ("contact: appointment is red", ["contact": [coding("appointment", "http://byneed.dk/fhir/CodeSystem/contact-wish")]], .red, ["contact-wish:contact"]),
    ] as [(String, [String: [AnswerValue]], TriageColour, [String])])
    func answersGiveTheMostSevereColourWithEveryReason(name: String, answers: [String: [AnswerValue]],
                                                      colour: TriageColour, sources: [String]) {
        let result = Self.definition.triage(ResponseAnswers(answers))
        #expect(result.colour == colour, "\(name)")
        #expect(result.findings.map(\.source.description) == sources, "\(name)")
    }

    @Test func reasonsAreDanishWithEnglish() {
        let result = Self.definition.triage(ResponseAnswers(["seizures": [.integer(12)]]))
        #expect(result.findings.map { $0.reason.resolved(language: "da") } == ["Flere anfald", "Mange anfald"])
        #expect(result.findings.map { $0.reason.resolved(language: "en") } == ["Reason Flere anfald", "Reason Mange anfald"])
    }

    @Test func contactWishIsRecognisedByItsCode() {
        #expect(Self.definition.item(linkId: "contact")?.isContactWish == true)
        #expect(Self.definition.item(linkId: "mood")?.isContactWish == false)
    }

    @Test func coloursOrderBySeverity() {
        #expect(TriageColour.green < .yellow && TriageColour.yellow < .red)
        #expect([TriageColour.yellow, .red, .green].max() == .red)
    }

    @Test(arguments: [
        ("unknown operator", significance("~", ("valueInteger", 1), colour: "red"), "extension[0].extension[0].valueCode"),
        ("green is not a triage colour", significance("=", ("valueInteger", 1), colour: "green"), "extension[0].extension[2].valueCode"),
        ("answer type does not fit", significance("=", ("valueString", "x"), colour: "red"), "extension[0].extension[1].valueString"),
        ("exists needs a boolean", significance("exists", ("valueInteger", 1), colour: "red"), "extension[0].extension[1].valueInteger"),
    ])
    func badRulesAreRejectedAtLoadWithTheirPath(name: String, rule: JSON, path: String) {
        let item = Fixtures.item("n", "integer", ("extension", [rule]))
        let error = #expect(throws: QuestionnaireLoadError.self, "\(name)") { try Fixtures.definition([item]) }
        #expect(error?.errors.map(\.path).contains("item[0].\(path)") == true, "\(name): \(String(describing: error))")
    }

    @Test func aRuleWithoutReasonIsRejected() {
        let rule: JSON = ["url": "http://byneed.dk/fhir/StructureDefinition/answer-significance",
                          "extension": [["url": "operator", "valueCode": "="], ["url": "answer", "valueInteger": 1],
                                        ["url": "colour", "valueCode": "red"]]]
        #expect(throws: QuestionnaireLoadError.self) { try Fixtures.definition([Fixtures.item("n", "integer", ("extension", [rule]))]) }
    }
}
