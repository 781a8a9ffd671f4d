import Foundation
import JSON
import Testing
@testable import Questionnaire

/// Every shipped instrument scored, banded, flagged and triaged by ByNeed's own engine against
/// the expected results derived from its manual (Tests/Fixtures/instruments; each case names
/// its source). The same cases are checked against the independent FHIRPath engine fhirpathpy
/// in Tests/Acceptance/test_instrument_definitions.py.
@Suite struct InstrumentFixtureTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let name: String
        let questionnaire: String
        let answers: JSONObject
        let expected: JSON

        var testDescription: String { "\(file): \(name)" }
    }

    static let folder = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/instruments")
    static let catalogue = try! QuestionnaireCatalogue.load(directory: Fixtures.questionnairesDirectory)

    static let cases: [Case] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.filter { $0.hasSuffix(".json") }.sorted() ?? []
        return files.flatMap { file -> [Case] in
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(file).path),
                  let json = try? JSON.parse(Array(data)), let questionnaire = json["questionnaire"]?.stringValue else { return [] }
            return (json["cases"]?.arrayValue ?? []).map { entry in
                Case(file: file, name: entry["name"]?.stringValue ?? "?", questionnaire: questionnaire,
                     answers: entry["answers"]?.objectValue ?? JSONObject(), expected: entry["expected"] ?? .null)
            }
        }
    }()

    @Test func everyShippedInstrumentHasFixtures() {
        #expect(Set(Self.cases.map(\.file)) == ["copd-followup.json", "epilepsy-followup.json", "gad7.json", "k10.json",
                                               "kram.json", "mmrc.json", "phq9.json", "who5.json"])
        #expect(Self.cases.count >= 100)
    }

    @Test(arguments: cases)
    func theEngineGivesTheManualsResult(_ fixture: Case) throws {
        let definition = try #require(Self.catalogue.definition(reference: fixture.questionnaire))
        let answers = try definition.answers(fromResponse: Self.response(fixture.answers, definition))
        let result = definition.evaluate(answers, now: Date(timeIntervalSince1970: 1_795_000_000))
        #expect(result.warnings.isEmpty, "\(result.warnings)")

        for (linkId, value) in fixture.expected["scores"]?.objectValue ?? JSONObject() {
            let score = result.scores.first { $0.linkId == linkId }
            #expect(score?.value == value.decimalValue, "score \(linkId)")
        }
        for (linkId, band) in fixture.expected["bands"]?.objectValue ?? JSONObject() {
            #expect(result.scores.first { $0.linkId == linkId }?.band?.code == band.stringValue, "band \(linkId)")
        }
        let flags = (fixture.expected["flags"]?.arrayValue ?? []).compactMap(\.stringValue).sorted()
        #expect(result.flags.map(\.code).sorted() == flags)
        #expect(result.triage.colour.rawValue == fixture.expected["colour"]?.stringValue)
        let reasons = (fixture.expected["reasons"]?.arrayValue ?? []).compactMap(\.stringValue).sorted()
        #expect(result.triage.findings.map { Self.fixtureName($0.source) }.sorted() == reasons)
        #expect(result.isComplete == fixture.expected["complete"]?.boolValue)
    }

    /// The fixtures name what fired as `<rule id>`, `answer:<linkId>` or `contact-wish`.
    static func fixtureName(_ source: TriageSource) -> String {
        switch source {
        case .answer(let linkId): "answer:\(linkId)"
        case .contactWish: "contact-wish"
        case .rule(let id): id
        }
    }

    /// A QuestionnaireResponse with the fixture's answers nested under their groups.
    static func response(_ answers: JSONObject, _ definition: QuestionnaireDefinition) -> JSON {
        func nest(_ items: [QuestionnaireItem]) -> [JSON] {
            items.compactMap { item in
                if item.type == .group {
                    let children = nest(item.items)
                    return children.isEmpty ? nil : ["linkId": .string(item.linkId), "item": .array(children)]
                }
                guard let answer = answers[item.linkId] else { return nil }
                return ["linkId": .string(item.linkId), "answer": answer.arrayValue.map(JSON.array) ?? [answer]]
            }
        }
        return ["resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": .string(definition.reference),
                "item": .array(nest(definition.items))]
    }
}
