import Foundation
import Testing
import JSON
@testable import Questionnaire

@Suite struct ResponseAnswersTests {
    static let everyType = ResponseAnswers([
        "b": [.boolean(true)], "d": [.decimal(Decimal(string: "1.25")!)], "i": [.integer(-4)],
        "dt": [.date("2024-05")], "dtm": [.dateTime("2024-05-01T10:00:00+02:00")], "s": [.string("æ \"ø\"\n")],
        "c": [.coding(Coding(system: "http://s", code: "a", display: "A")), .coding(Coding(system: nil, code: "b"))],
        "q": [.quantity(Quantity(value: 70, unit: "kg", system: "http://unitsofmeasure.org", code: "kg"))],
    ])

    @Test func draftsRoundTripThroughJSONText() throws {
        let text = Self.everyType.json.serialized()
        #expect(try ResponseAnswers(json: JSON.parse(text)) == Self.everyType)
        #expect(Self.everyType.json["c"]?[0] == ["valueCoding": ["system": "http://s", "code": "a", "display": "A"]])
        #expect(Self.everyType.json.objectValue?.keys == Self.everyType.linkIds)
    }

    @Test("malformed stored answers are rejected with a path", arguments: [
        ("[]", ": must be an object"),
        (#"{"a": 1}"#, "\"a\": must be an array"),
        (#"{"a": [{}]}"#, "\"a\"[0]: is missing"),
        (#"{"a": [{"valueDate": "2024-13"}]}"#, "\"a\"[0].valueDate: \"2024-13\" is not a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        (#"{"a": [{"valueReference": {}}]}"#, "\"a\"[0].valueReference: Reference is not a supported value type"),
    ])
    func rejectsMalformed(text: String, expected: String) throws {
        let json = try JSON.parse(text)
        #expect {
            try ResponseAnswers(json: json)
        } throws: { error in
            (error as? ResponseAnswers.DecodingError)?.description == expected
        }
    }

    @Test func setRemoveAndEmptyLists() {
        var answers = ResponseAnswers()
        answers.set("a", [.integer(1)])
        answers.set("b", [])
        #expect(answers.linkIds == ["a"])
        answers.remove("a")
        #expect(answers.isEmpty)
        #expect(answers.values("a").isEmpty)
    }
}
