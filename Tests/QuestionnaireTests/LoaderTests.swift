import Foundation
import Testing
import JSON
@testable import Questionnaire

@Suite struct LoaderTests {
    typealias F = Fixtures

    static func condition(_ question: String, _ op: String, _ element: String, _ value: JSON) -> JSON {
        .object(JSONObject([("question", .string(question)), ("operator", .string(op)), (element, value)]))
    }

    static func without(_ key: String) -> JSON {
        guard case .object(var object) = F.makeQuestionnaire(items: [F.item("a", "string")]) else { return .null }
        object[key] = nil
        return .object(object)
    }

    /// One row per load rule: the document, then the expected `path: message`.
    static let rejected: [(String, JSON, String)] = [
        ("unsupported type", F.makeQuestionnaire(items: [F.item("u", "url")]),
         "item[0].type: unsupported item type \"url\""),
        ("duplicate linkId", F.makeQuestionnaire(items: [F.item("a", "string"), F.item("a", "boolean")]),
         "item[1].linkId: linkId \"a\" is used more than once"),
        ("missing linkId", F.makeQuestionnaire(items: [["type": "string"]]),
         "item[0].linkId: is missing"),
        ("group without items", F.makeQuestionnaire(items: [F.item("g", "group")]),
         "item[0].item: a group must contain items"),
        ("display with required", F.makeQuestionnaire(items: [F.item("d", "display", ("required", true))]),
         "item[0].required: a display item cannot have required"),
        ("display with options", F.makeQuestionnaire(items: [F.item("d", "display", ("answerOption", [["valueString": "x"]]))]),
         "item[0].answerOption: a display item cannot have answerOption"),
        ("options on non-choice", F.makeQuestionnaire(items: [F.item("s", "string", ("answerOption", [["valueString": "x"]]))]),
         "item[0].answerOption: answer options are only allowed on choice and open-choice items, not string"),
        ("option type", F.makeQuestionnaire(items: [F.item("c", "choice", ("answerOption", [["valueBoolean": true]]))]),
         "item[0].answerOption[0].valueBoolean: valueBoolean is not allowed on an item of type choice"),
        ("option date invalid", F.makeQuestionnaire(items: [F.item("c", "choice", ("answerOption", [["valueDate": "2023-02-29"]]))]),
         "item[0].answerOption[0].valueDate: \"2023-02-29\" is not a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        ("choice without options", F.makeQuestionnaire(items: [F.item("c", "choice")]),
         "item[0]: a choice item needs answerOption or answerValueSet"),
        ("valueset not contained", F.makeQuestionnaire(items: [F.item("c", "choice", ("answerValueSet", "http://x/vs"))]),
         "item[0].answerValueSet: answerValueSet \"http://x/vs\" is not a contained ValueSet (only #id references to contained ValueSets are supported)"),
        ("maxLength on integer", F.makeQuestionnaire(items: [F.item("i", "integer", ("maxLength", 3))]),
         "item[0].maxLength: maxLength is only allowed on string and text items, not integer"),
        ("initial type", F.makeQuestionnaire(items: [F.item("i", "integer", ("initial", [["valueString": "x"]]))]),
         "item[0].initial[0].valueString: initial valueString does not fit an item of type integer"),
        ("initial not an option", F.makeQuestionnaire(items: [F.codingChoice("c", ("initial", [["valueCoding": ["system": "http://s", "code": "z"]]]))]),
         "item[0].initial[0].valueCoding: the initial value is not one of the answer options"),
        ("too many initial", F.makeQuestionnaire(items: [F.item("s", "string", ("initial", [["valueString": "x"], ["valueString": "y"]]))]),
         "item[0].initial: a non-repeating item can have only one initial value (FHIR R4 que-13)"),
        ("min greater than max", F.makeQuestionnaire(items: [F.item("i", "integer", ("extension", [
            F.extensionValue("minValue", "valueInteger", 5), F.extensionValue("maxValue", "valueInteger", 1)]))]),
         "item[0]: minValue is greater than maxValue"),
        ("limit type", F.makeQuestionnaire(items: [F.item("i", "integer", ("extension", [F.extensionValue("minValue", "valueDate", "2020")]))]),
         "item[0].extension[0].valueDate: valueDate does not fit an item of type integer"),
        ("limit on string", F.makeQuestionnaire(items: [F.item("s", "string", ("extension", [F.extensionValue("maxValue", "valueInteger", 1)]))]),
         "item[0].extension[0]: minValue/maxValue do not apply to an item of type string"),
        ("quantity without unit", F.makeQuestionnaire(items: [F.item("q", "quantity")]),
         "item[0]: a quantity item needs questionnaire-unit or questionnaire-unitOption"),
        ("question with children", F.makeQuestionnaire(items: [F.item("s", "string", ("item", [F.item("x", "display")]))]),
         "item[0].item: only groups may contain items (items nested under a question are not supported)"),
        ("wrong JSON type", F.makeQuestionnaire(items: [F.item("s", "string", ("required", "yes"))]),
         "item[0].required: must be true or false"),
        ("modifier extension", F.makeQuestionnaire(items: [F.item("s", "string", ("modifierExtension", [["url": "http://x"]]))]),
         "item[0].modifierExtension[0]: modifier extension \"http://x\" is not understood, so the item cannot be used safely"),
        ("unknown linkId", F.makeQuestionnaire(items: [F.item("a", "string"), F.item("b", "string", ("enableWhen", [condition("x", "=", "answerString", "y")]))]),
         "item[1].enableWhen[0].question: refers to unknown linkId \"x\""),
        ("unknown linkId nested", F.makeQuestionnaire(items: [F.item("g", "group", ("item", [F.item("b", "string", ("enableWhen", [condition("nope", "exists", "answerBoolean", true)]))]))]),
         "item[0].item[0].enableWhen[0].question: refers to unknown linkId \"nope\""),
        ("enableWhen on group", F.makeQuestionnaire(items: [F.item("g", "group", ("item", [F.item("a", "string")])), F.item("b", "string", ("enableWhen", [condition("g", "exists", "answerBoolean", true)]))]),
         "item[1].enableWhen[0].question: refers to \"g\", an item of type group, which has no answers"),
        ("answer type mismatch", F.makeQuestionnaire(items: [F.item("a", "integer"), F.item("b", "string", ("enableWhen", [condition("a", "=", "answerString", "1")]))]),
         "item[1].enableWhen[0].answerString: answerString does not fit the item of type integer it tests"),
        ("exists without boolean", F.makeQuestionnaire(items: [F.item("a", "integer"), F.item("b", "string", ("enableWhen", [condition("a", "exists", "answerInteger", 1)]))]),
         "item[1].enableWhen[0].answerInteger: the exists operator needs answerBoolean"),
        ("ordering on coding", F.makeQuestionnaire(items: [F.codingChoice("c"), F.item("b", "string", ("enableWhen", [condition("c", ">", "answerCoding", ["system": "http://s", "code": "a"])]))]),
         "item[1].enableWhen[0].operator: operator \">\" cannot compare Coding answers (only = and != can)"),
        ("ordering on boolean", F.makeQuestionnaire(items: [F.item("a", "boolean"), F.item("b", "string", ("enableWhen", [condition("a", "<=", "answerBoolean", true)]))]),
         "item[1].enableWhen[0].operator: operator \"<=\" cannot compare Boolean answers (only = and != can)"),
        ("unknown operator", F.makeQuestionnaire(items: [F.item("a", "integer"), F.item("b", "string", ("enableWhen", [condition("a", "~", "answerInteger", 1)]))]),
         "item[1].enableWhen[0].operator: \"~\" is not one of exists, =, !=, >, <, >=, <="),
        ("enableBehavior missing", F.makeQuestionnaire(items: [F.item("a", "integer"), F.item("b", "string", ("enableWhen", [
            condition("a", ">", "answerInteger", 1), condition("a", "<", "answerInteger", 5)]))]),
         "item[1].enableBehavior: enableBehavior is required when there is more than one enableWhen (FHIR R4 que-12)"),
        ("cycle", F.makeQuestionnaire(items: [
            F.item("a", "string", ("enableWhen", [condition("b", "exists", "answerBoolean", true)])),
            F.item("b", "string", ("enableWhen", [condition("a", "exists", "answerBoolean", true)]))]),
         "item[0].enableWhen: enableWhen conditions form a cycle: a → b → a"),
        ("no items", F.makeQuestionnaire(items: []), "item: the questionnaire has no items"),
        ("not a questionnaire", ["resourceType": "Patient"], "resourceType: resourceType must be \"Questionnaire\", found \"Patient\""),
        ("missing url", without("url"), "url: is missing"),
        ("missing version", without("version"), "version: is missing"),
        ("missing status", without("status"), "status: is missing"),
        ("bad status", F.makeQuestionnaire(items: [F.item("a", "string")], extra: [("status", "final")]),
         "status: \"final\" is not one of draft, active, retired, unknown"),
    ]

    @Test("each load rule reports its JSON path and plain message", arguments: rejected)
    func rejectsInvalidDefinition(rule: String, document: JSON, expected: String) {
        do {
            _ = try QuestionnaireDefinition.parse(document, source: "t.json")
            Issue.record("\(rule): loaded although invalid")
        } catch {
            let lines = error.errors.map { "\($0.path): \($0.message)" }
            #expect(lines.contains(expected), "\(rule): \(lines)")
        }
    }

    @Test func allProblemsAreCollectedWithSource() {
        let document = F.makeQuestionnaire(items: [F.item("u", "url"), F.item("g", "group"), F.item("i", "integer", ("maxLength", 2))])
        do {
            _ = try QuestionnaireDefinition.parse(document, source: "who5.json")
            Issue.record("loaded although invalid")
        } catch {
            #expect(error.description == """
                who5.json: item[0].type: unsupported item type "url"
                who5.json: item[1].item: a group must contain items
                who5.json: item[2].maxLength: maxLength is only allowed on string and text items, not integer
                """)
        }
    }

    @Test func lenientModeWarnsAboutMissingMetadata() throws {
        let definition = try QuestionnaireDefinition.parse(Self.without("url"), source: "t.json", strictness: .lenient)
        #expect(definition.warnings.map(\.description) == ["t.json: url: warning: is missing"])
        #expect(definition.url.isEmpty)
        #expect(definition.status == .active)
    }

    @Test func invalidJSONBytesAreReportedWithPosition() {
        #expect {
            try QuestionnaireDefinition.parse(bytes: Array("{\"a\": }".utf8), source: "x.json")
        } throws: { error in
            (error as? QuestionnaireLoadError)?.description == "x.json: is not valid JSON: line 1, column 7: unexpected character '}'"
        }
    }

    // MARK: What loads

    @Test func translationsAreReadFromTheTranslationExtension() throws {
        let translated: JSON = ["extension": [["url": "http://hl7.org/fhir/StructureDefinition/translation",
                                               "extension": [["url": "lang", "valueCode": "en"], ["url": "content", "valueString": "Pain"]]]]]
        let definition = try F.definition([
            F.item("s", "string", ("text", "Smerte"), ("_text", translated)),
            F.item("c", "choice", ("answerOption", [["valueString": "Ja", "_valueString": translated]])),
        ])
        let text = try #require(definition.item(linkId: "s")?.text)
        #expect(text.resolved(language: "en") == "Pain")
        #expect(text.resolved(language: "en-US") == "Pain")
        #expect(text.resolved(language: "da") == "Smerte")
        #expect(text.resolved(language: "de") == "Smerte")
        #expect(definition.item(linkId: "c")?.answerOptions.first?.display.resolved(language: "en") == "Pain")
    }

    @Test func containedValueSetIsExpandedWithWeights() throws {
        let valueSet: JSON = ["resourceType": "ValueSet", "id": "vs", "compose": ["include": [["system": "http://s", "concept": [
            ["code": "x", "display": "X", "extension": [["url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 2.5]]],
            ["code": "y"],
        ]]]]]
        let document = F.makeQuestionnaire(items: [F.item("c", "choice", ("answerValueSet", "#vs"))], extra: [("contained", [valueSet])])
        let definition = try QuestionnaireDefinition.parse(document, source: "t.json")
        let options = try #require(definition.item(linkId: "c")?.answerOptions)
        #expect(options.map(\.value) == [.coding(Coding(system: "http://s", code: "x", display: "X")), .coding(Coding(system: "http://s", code: "y"))])
        #expect(options.map(\.ordinalValue) == [Decimal(string: "2.5"), nil])
        #expect(options.map(\.display.base) == ["X", "y"])
    }

    @Test func itemPropertiesAreRead() throws {
        let definition = try F.definition([
            F.item("q", "quantity", ("required", true), ("prefix", "1."), ("extension", [
                F.extensionValue("questionnaire-unitOption", "valueCoding", ["system": "http://unitsofmeasure.org", "code": "kg", "display": "kg"]),
                F.extensionValue("questionnaire-unitOption", "valueCoding", ["system": "http://unitsofmeasure.org", "code": "g", "display": "g"]),
                F.extensionValue("minValue", "valueDecimal", 0.5)])),
            F.codingChoice("c", ("repeats", true), ("initial", [["valueCoding": ["system": "http://s", "code": "b"]]])),
            F.item("s", "string", ("readOnly", true), ("maxLength", 10)),
        ])
        let quantity = try #require(definition.item(linkId: "q"))
        #expect(quantity.required && quantity.prefix == "1.")
        #expect(quantity.unitOptions.map(\.code) == ["kg", "g"])
        #expect(quantity.minValue == .decimal(Decimal(string: "0.5")!))
        let choice = try #require(definition.item(linkId: "c"))
        #expect(choice.repeats && choice.initial == [.coding(Coding(system: "http://s", code: "b"))])
        #expect(choice.answerOptions.map(\.ordinalValue) == [0, 1, 2])
        #expect(definition.item(linkId: "s")?.readOnly == true && definition.item(linkId: "s")?.maxLength == 10)
        #expect(definition.initialAnswers.values("c") == [.coding(Coding(system: "http://s", code: "b"))])
    }

    @Test func pagesSplitOnTopLevelGroups() throws {
        let definition = try F.definition([
            F.item("a", "string"), F.item("b", "string"),
            F.item("g1", "group", ("text", "Første"), ("item", [F.item("c", "string")])),
            F.item("d", "boolean"),
            F.item("g2", "group", ("item", [F.item("e", "string")])),
        ])
        #expect(definition.pages.map { $0.items.map(\.linkId) } == [["a", "b"], ["c"], ["d"], ["e"]])
        #expect(definition.pages.map(\.groupLinkId) == [nil, "g1", nil, "g2"])
        #expect(definition.pages.map(\.title.base) == ["Test", "Første", "Test", "Test"])
        #expect(definition.pages.map(\.index) == [0, 1, 2, 3])
    }
}
