import JSON
import Testing
@testable import Questionnaire

/// Loading the SDC expressions and ByNeed's band, flag and triage-rule extensions
/// (docs/scoring-and-triage.md), and refusing them when they are wrong.
@Suite struct ScoringRulesLoadTests {
    static func expression(_ url: String, _ source: String, name: String? = nil, language: String = "text/fhirpath") -> JSON {
        var value = JSONObject([("language", .string(language)), ("expression", .string(source))])
        if let name { value["name"] = .string(name) }
        return ["url": .string(url), "valueExpression": .object(value)]
    }

    static let calculated = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
    static let variable = "http://hl7.org/fhir/StructureDefinition/variable"

    static func band(_ code: String, low: Int?, high: Int?) -> JSON {
        var parts: [JSON] = [["url": "code", "valueCode": .string(code)], ["url": "display", "valueString": .string(code)]]
        if let low { parts.append(["url": "low", "valueDecimal": .number(JSONNumber(low))]) }
        if let high { parts.append(["url": "high", "valueDecimal": .number(JSONNumber(high))]) }
        return ["url": "http://byneed.dk/fhir/StructureDefinition/score-band", "extension": .array(parts)]
    }

    static func rule(id: String, colour: String = "yellow") -> JSON {
        ["url": "http://byneed.dk/fhir/StructureDefinition/triage-rule",
         "extension": [["url": "id", "valueId": .string(id)],
                       .object(JSONObject([("url", "expression"), ("valueExpression", ["language": "text/fhirpath", "expression": "%score_total >= %threshold"])])),
                       ["url": "threshold", "valueDecimal": 10], ["url": "colour", "valueCode": .string(colour)],
                       ["url": "reason", "valueString": "Høj score"]]]
    }

    static func total(_ extensions: [JSON]) -> JSON {
        Fixtures.item("total", "integer", ("readOnly", true), ("extension", .array(extensions)))
    }

    @Test func aScoredDefinitionLoadsItsRules() throws {
        let root: [(String, JSON)] = [("extension", [Self.expression(Self.variable, "%resource.item", name: "answered"),
                                                     Self.rule(id: "high"), Self.rule(id: "severe", colour: "red")])]
        let json = Fixtures.makeQuestionnaire(items: [
            Fixtures.codingChoice("q1"),
            Self.total([Self.expression(Self.calculated, "%answered.answer.weight().sum()"),
                        Self.band("low", low: 0, high: 4), Self.band("high", low: 5, high: nil),
                        ["url": "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden", "valueBoolean": true]]),
        ], extra: root)
        let definition = try QuestionnaireDefinition.parse(json, source: "scored.json")
        #expect(definition.scoring.variables.map(\.name) == ["answered"])
        #expect(definition.scoring.triageRules.map(\.id) == ["high", "severe"])
        #expect(definition.scoring.triageRules.map(\.colour) == [.yellow, .red])
        #expect(definition.scoring.triageRules.first?.threshold == 10)
        let total = try #require(definition.item(linkId: "total"))
        #expect(total.calculatedExpression?.source == "%answered.answer.weight().sum()")
        #expect(total.isHidden)
        #expect(total.bands.map(\.code) == ["low", "high"])
        #expect(total.bands[1].contains(27) && !total.bands[0].contains(5))
    }

    @Test(arguments: [
        ("another expression language", [total([expression(calculated, "x", language: "text/cql")])], [JSON](), "item[0].extension[0].valueExpression.language"),
        ("a variable without a name", [total([expression(variable, "1"), expression(calculated, "1")])], [], "item[0].extension[0].valueExpression.name"),
        ("a variable name FHIRPath cannot read", [total([expression(variable, "1", name: "2x"), expression(calculated, "1")])], [], "item[0].extension[0].valueExpression.name"),
        ("overlapping bands", [total([expression(calculated, "1"), band("a", low: 0, high: 5), band("b", low: 5, high: 9)])], [], "item[0]"),
        ("bands without a score", [total([band("a", low: 0, high: 5)])], [], "item[0]"),
        ("a calculated string", [Fixtures.item("s", "string", ("extension", [expression(calculated, "'x'")]))], [], "item[0].extension[0]"),
        ("two rules with one id", [total([expression(calculated, "1")])], [rule(id: "x"), rule(id: "x")], "extension"),
        ("a green rule", [total([expression(calculated, "1")])], [rule(id: "x", colour: "green")], "extension[0].extension[3].valueCode"),
    ] as [(String, [JSON], [JSON], String)])
    func wrongRulesAreRefusedWithTheirPath(name: String, items: [JSON], rootExtensions: [JSON], path: String) {
        let json = Fixtures.makeQuestionnaire(items: items, extra: rootExtensions.isEmpty ? [] : [("extension", .array(rootExtensions))])
        let error = #expect(throws: QuestionnaireLoadError.self, "\(name)") { try QuestionnaireDefinition.parse(json, source: "bad.json") }
        #expect(error?.errors.map(\.path).contains(path) == true, "\(name): \(String(describing: error))")
    }
}
