import Foundation
import JSON
import Testing
@testable import Questionnaire

/// Reading QuestionnaireResponses written elsewhere back into answers.
@Suite struct ReadResponseTests {
    static let demo = try! Fixtures.shipped("demo-all-types.json")

    @Test func aResponseWeWroteReadsBackToTheSameAnswers() throws {
        var answers = Self.demo.initialAnswers
        answers.set("diary-date", [.date("2026-11-20")])
        answers.set("had-symptoms", [.boolean(true)])
        answers.set("symptoms", [.coding(Coding(system: "http://byneed.dk/fhir/CodeSystem/demo-symptom", code: "nausea")),
                                 .coding(Coding(system: "http://byneed.dk/fhir/CodeSystem/demo-symptom", code: "joint-pain"))])
        answers.set("pain-score", [.integer(7)])
        answers.set("weight", [.decimal(Decimal(string: "70.5")!)])
        answers.set("contact-me", [.boolean(false)])
        let resource = Self.demo.makeResponse(answers: answers, id: "r", subject: nil, authored: "2026-11-22T10:00:00Z")
        let read = try Self.demo.answers(fromResponse: JSON.parse(resource.serialized()))
        #expect(read == Self.demo.pruned(answers))
    }

    static func response(_ items: JSON) -> JSON {
        ["resourceType": "QuestionnaireResponse", "status": "completed", "item": items]
    }

    @Test(arguments: [
        ("not a response", ["resourceType": "Patient"] as JSON, "resourceType"),
        ("unknown linkId", response([["linkId": "nope", "answer": [["valueInteger": 1]]]]), "item[0].linkId"),
        ("nested item at the top", response([["linkId": "symptoms", "answer": [["valueString": "x"]]]]), "item[0].linkId"),
        ("answer on a group", response([["linkId": "today", "answer": [["valueInteger": 1]]]]), "item[0].answer"),
        ("answer without a value", response([["linkId": "today", "item": [["linkId": "diary-date", "answer": [[:]]]]]]),
         "item[0].item[0].answer[0].value[x]"),
        ("malformed value", response([["linkId": "today", "item": [["linkId": "diary-date", "answer": [["valueDate": 12]]]]]]),
         "item[0].item[0].answer[0].valueDate"),
    ] as [(String, JSON, String)])
    func problemsAreReportedWithTheirPath(name: String, json: JSON, path: String) {
        let error = #expect(throws: ResponseReadError.self, "\(name)") { try Self.demo.answers(fromResponse: json) }
        #expect(error?.problems.map(\.path).contains(path) == true, "\(name): \(String(describing: error))")
    }

    @Test func valuesOfAnyTypeAreReadAsGivenForValidationToJudge() throws {
        let json = Self.response([["linkId": "today", "item": [["linkId": "diary-date", "answer": [["valueString": "yesterday"]]]]]])
        let answers = try Self.demo.answers(fromResponse: json)
        #expect(answers.values("diary-date") == [.string("yesterday")])
        #expect(!Self.demo.validateAll(answers).isEmpty)
    }
}
