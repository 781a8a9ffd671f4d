import Foundation
import Testing
import JSON
@testable import Questionnaire

@Suite struct ShippedDefinitionTests {
    @Test("every shipped definition loads in catalogue mode", arguments: ["who5.json", "demo-all-types.json"])
    func shippedFileLoads(name: String) throws {
        let definition = try Fixtures.shipped(name)
        #expect(definition.language == "da")
        #expect(definition.status == .active)
        #expect(definition.version == "1.0.0")
        #expect(definition.warnings.isEmpty)
    }

    @Test func catalogueLoadsTheShippedFolder() throws {
        let catalogue = try QuestionnaireCatalogue.load(directory: Fixtures.questionnairesDirectory)
        #expect(catalogue.all.map(\.reference) == [
            "copd-followup", "demo-all-types", "epilepsy-followup", "gad7", "k10", "kram", "mmrc", "phq9", "who5",
        ].map { "http://byneed.dk/fhir/Questionnaire/\($0)|1.0.0" })
    }

    @Test("conformance files from other tools load leniently, with warnings for missing metadata", arguments: [
        ("lhcforms-phq9-variables.json", 11, ["url", "version"]),
        ("lhcforms-phq9-weight.json", 11, ["url", "version"]),
        ("lhcforms-q-with-contained-valueset.json", 5, ["url", "version", "status"]),
        ("lhcforms-q-with-contained-valueset-with-itemWeight.json", 6, ["url", "version", "status"]),
    ])
    func conformanceFileLoads(name: String, itemCount: Int, missing: [String]) throws {
        let directory = try #require(Fixtures.conformanceDirectory, "shared/conformance/questionnaires not found above the package")
        let data = try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(name))
        let definition = try QuestionnaireDefinition.parse(bytes: Array(data), source: name, strictness: .lenient)
        #expect(try JSON.parse(definition.source.serialized()) == definition.source)
        #expect(definition.items.flatMap(\.flattened).count == itemCount)
        #expect(definition.warnings.map(\.path) == missing)
        #expect(definition.warnings.allSatisfy { $0.severity == .warning })
        #expect(throws: QuestionnaireLoadError.self) {
            try QuestionnaireDefinition.parse(bytes: Array(data), source: name, strictness: .catalogue)
        }
    }

    // MARK: WHO-5

    @Test func who5HasFiveChoiceItemsWithOrdinalValuesFiveToZero() throws {
        let who5 = try Fixtures.shipped("who5.json")
        let questions = who5.items.flatMap(\.flattened).filter { $0.type == .choice }
        #expect(questions.map(\.linkId) == ["item1", "item2", "item3", "item4", "item5"])
        for question in questions {
            #expect(question.required)
            #expect(question.answerOptions.map(\.ordinalValue) == [5, 4, 3, 2, 1, 0].map { Decimal($0) })
            #expect(question.answerOptions.first?.display.resolved(language: "en") == "All of the time")
            #expect(question.answerOptions.last?.display.resolved(language: "da") == "På intet tidspunkt")
        }
        #expect(who5.item(linkId: "item1")?.text?.base == "I de sidste 2 uger har jeg været glad og i godt humør")
        #expect(who5.item(linkId: "item1")?.text?.resolved(language: "en-GB") == "Over the last two weeks I have felt cheerful and in good spirits")
        #expect(who5.copyright?.base.contains("Psykiatrisk Center Nordsjælland") == true)
        #expect(who5.copyright?.resolved(language: "en").contains("Psychiatric Research Unit, Mental Health Centre North Zealand") == true)
        #expect(who5.description?.resolved(language: "en").contains("Topp CW") == true)
        #expect(who5.pages.count == 1)
    }

    // MARK: Demo

    @Test func demoExercisesEveryItemTypeAndOperator() throws {
        let demo = try Fixtures.shipped("demo-all-types.json")
        let all = demo.items.flatMap(\.flattened)
        #expect(Set(all.map(\.type)) == Set(ItemType.allCases))
        let operators = Set(all.flatMap(\.enableWhen).map(\.operator))
        #expect(operators == Set(EnableWhenOperator.allCases))
        let behaviours = Set(all.filter { $0.enableWhen.count > 1 }.map(\.enableBehavior))
        #expect(behaviours == [.any, .all])
        let optionTypes = Set(all.flatMap(\.answerOptions).map(\.value.fhirTypeName))
        #expect(optionTypes == ["Coding", "String", "Integer", "Date"])
        #expect(all.contains { $0.readOnly && !$0.initial.isEmpty })
        #expect(all.contains { $0.repeats && $0.type == .choice })
        #expect(all.contains { $0.maxLength != nil })
        #expect(all.contains { $0.minValue != nil && $0.maxValue != nil })
        #expect(all.contains { $0.prefix != nil })
        #expect(all.contains { !$0.unitOptions.isEmpty })
        #expect(demo.item(linkId: "pain-site")?.answerOptions.map(\.display.base) == ["Knæ", "Hofte", "Hånd", "Ryg"])
        #expect(demo.item(linkId: "pain-site")?.answerOptions.first?.display.resolved(language: "en") == "Knee")
        #expect(demo.pages.map(\.groupLinkId) == ["today", "measurements", "medicine", nil])
        #expect(demo.pages.last?.items.map(\.linkId) == ["comment", "contact-me"])
        #expect(demo.pages[0].title.resolved(language: "en") == "Today")
    }
}
