import Foundation
import Testing
import JSON
@testable import Questionnaire

@Suite struct ResponseTests {
    typealias F = Fixtures

    static let demoSymptoms = "http://byneed.dk/fhir/CodeSystem/demo-symptom"

    static func response() throws -> JSON {
        let demo = try F.shipped("demo-all-types.json")
        let answers = ResponseAnswers([
            "clinic": [.string("Reumatologisk ambulatorium")],
            "diary-date": [.date("2026-11-20")],
            "had-symptoms": [.boolean(false)],
            "symptoms": [.coding(Coding(system: demoSymptoms, code: "nausea", display: "Kvalme"))],
            "temperature": [.quantity(Quantity(value: Decimal(string: "37.50")!, unit: "°C", system: "http://unitsofmeasure.org", code: "Cel"))],
            "weight": [.decimal(Decimal(string: "72.5")!)],
            "doses": [.integer(0)],
            "contact-me": [.boolean(true)],
        ])
        let subject: JSON = ["identifier": ["system": "urn:oid:1.2.208.176.1.2", "value": "0101011234"]]
        return demo.makeResponse(answers: answers, id: "r1", subject: subject, authored: "2026-11-20T10:00:00+01:00")
    }

    @Test func responseHeaderNamesTheQuestionnaire() throws {
        let response = try Self.response()
        #expect(response["resourceType"] == "QuestionnaireResponse")
        #expect(response["id"] == "r1")
        #expect(response["questionnaire"] == "http://byneed.dk/fhir/Questionnaire/demo-all-types|1.0.0")
        #expect(response["status"] == "completed")
        #expect(response["authored"] == "2026-11-20T10:00:00+01:00")
        #expect(response["subject"]?["identifier"]?["value"] == "0101011234")
        #expect(response.objectValue?.keys == ["resourceType", "id", "questionnaire", "status", "subject", "authored", "item"])
    }

    @Test func itemsNestLikeTheDefinitionWithOnlyEnabledAnsweredItems() throws {
        let response = try Self.response()
        let top = try #require(response["item"]?.arrayValue)
        #expect(top.map { $0["linkId"]?.stringValue } == ["today", "measurements", "medicine", "contact-me"])
        let today = try #require(top[0]["item"]?.arrayValue)
        #expect(today.map { $0["linkId"]?.stringValue } == ["clinic", "diary-date", "had-symptoms"])
        #expect(top[0]["text"] == "I dag")
        #expect(today[2]["answer"] == [["valueBoolean": false]])
        let measurements = try #require(top[1]["item"]?.arrayValue)
        #expect(measurements[0]["answer"]?[0]?["valueQuantity"] == ["value": .number(JSONNumber(literal: "37.5")!), "unit": "°C", "system": "http://unitsofmeasure.org", "code": "Cel"])
        #expect(measurements[1]["answer"]?[0]?["valueDecimal"]?.numberValue?.literal == "72.5")
        #expect(top[2]["item"]?[0]?["answer"] == [["valueInteger": 0]])
        #expect(top[3]["answer"] == [["valueBoolean": true]])
    }

    @Test func codingsAndGroupsAppearWhenEnabled() throws {
        let demo = try F.shipped("demo-all-types.json")
        let answers = ResponseAnswers([
            "had-symptoms": [.boolean(true)],
            "symptoms": [.coding(Coding(system: Self.demoSymptoms, code: "nausea", display: "Kvalme"))],
        ])
        let response = demo.makeResponse(answers: answers, id: "r2", subject: nil, authored: "2026-11-20")
        #expect(response["subject"] == nil)
        let details = try #require(response["item"]?[0]?["item"]?[1])
        #expect(details["linkId"] == "symptom-details")
        #expect(details["item"]?[0]?["answer"] == [["valueCoding": ["system": .string(Self.demoSymptoms), "code": "nausea", "display": "Kvalme"]]])
    }

    @Test func responseSurvivesSerialisationRoundTrip() throws {
        let response = try Self.response()
        #expect(try JSON.parse(response.serialized()) == response)
        #expect(try JSON.parse(response.serialized(pretty: true)) == response)
    }

    @Test func emptyAnswersGiveAResponseWithoutItems() throws {
        let who5 = try F.shipped("who5.json")
        let response = who5.makeResponse(answers: ResponseAnswers(), id: "r3", subject: nil, authored: "2026-11-20", status: "in-progress")
        #expect(response["item"] == nil)
        #expect(response["status"] == "in-progress")
    }
}
