import FHIRPath
import Foundation
import JSON
import Testing

/// The four LHC-Forms questionnaires of the conformance corpus: their own variable and
/// calculatedExpression expressions, evaluated in order over responses we build.
struct ConformanceQuestionnaireTests {
    static let calculated = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
    static let variable = "http://hl7.org/fhir/StructureDefinition/variable"

    static func questionnaire(_ name: String) throws -> JSON {
        try Fixture.json("questionnaires/" + name)
    }

    /// Every item with answer options, in document order.
    static func choiceItems(_ json: JSON) -> [JSON] {
        (json["item"]?.arrayValue ?? []).flatMap { item in
            (item["answerOption"] != nil ? [item] : []) + choiceItems(item)
        }
    }

    /// A response choosing option `choices[i]` for the i-th choice item, and the sum of their
    /// ordinal values.
    static func phq9Response(_ questionnaire: JSON, choices: [Int]) -> (JSON, Decimal) {
        var items: [JSON] = []
        var total = Decimal(0)
        for (item, choice) in zip(choiceItems(questionnaire), choices) {
            let option = item["answerOption"]![choice]!
            if item["linkId"]?.stringValue != "/69722-7" {
                total += option["extension"]!.arrayValue!.first { $0["url"]?.stringValue?.hasSuffix("ordinalValue") == true }!["valueDecimal"]!.decimalValue!
            }
            items.append(["linkId": item["linkId"]!, "answer": [["valueCoding": option["valueCoding"]!]]])
        }
        return (["resourceType": "QuestionnaireResponse", "status": "completed", "item": .array(items)], total)
    }

    /// Evaluates the root variables in order (each visible to later ones as %name), then the
    /// calculatedExpression of every item; returns the calculated values by linkId.
    static func calculate(_ questionnaire: JSON, response: JSON) throws -> [String: [FHIRPathValue]] {
        var environment = Fixture.environment(resource: response, questionnaire: questionnaire)
        func expressions(_ json: JSON, _ url: String) -> [JSON] {
            (json["extension"]?.arrayValue ?? []).filter { $0["url"]?.stringValue == url }.compactMap { $0["valueExpression"] }
        }
        var results: [String: [FHIRPathValue]] = [:]
        func visit(_ element: JSON) throws {
            for variable in expressions(element, Self.variable) {
                let value = try FHIRPathExpression.compile(variable["expression"]!.stringValue!).evaluate(response, environment: environment)
                environment.variables[variable["name"]!.stringValue!] = value
            }
            for expression in expressions(element, Self.calculated) {
                results[element["linkId"]!.stringValue!] = try FHIRPathExpression.compile(expression["expression"]!.stringValue!)
                    .evaluate(response, environment: environment)
            }
            for item in element["item"]?.arrayValue ?? [] { try visit(item) }
        }
        try visit(questionnaire)
        return results
    }

    @Test("PHQ-9 totals equal the sum of the chosen ordinal values (0–27)", arguments: [
        ("lhcforms-phq9-variables.json", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        ("lhcforms-phq9-variables.json", [3, 3, 3, 3, 3, 3, 3, 3, 3, 3]),
        ("lhcforms-phq9-variables.json", [0, 1, 2, 3, 1, 2, 0, 3, 1, 2]),
        ("lhcforms-phq9-weight.json", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        ("lhcforms-phq9-weight.json", [3, 3, 3, 3, 3, 3, 3, 3, 3, 3]),
        ("lhcforms-phq9-weight.json", [2, 1, 0, 3, 2, 1, 0, 1, 2, 0]),
    ])
    func phq9Total(file: String, choices: [Int]) throws {
        let questionnaire = try Self.questionnaire(file)
        let (response, total) = Self.phq9Response(questionnaire, choices: choices)
        let results = try Self.calculate(questionnaire, response: response)
        #expect(results["/44261-6"] == [.decimal(total)])
        #expect((0...27).contains(total))
    }

    @Test("a choice element matches type suffixes only: a Questionnaire item's answerOption is not answer")
    func choiceSuffixIsAType() throws {
        let questionnaire = try Self.questionnaire("lhcforms-phq9-weight.json")
        #expect(try Fixture.evaluate("item.answer.count()", on: questionnaire) == "[0]")
        #expect(try Fixture.evaluate("item.answerOption.count()", on: questionnaire) == "[40]")
        #expect(try Fixture.evaluate("item.answerOption.value.ofType(Coding).count()", on: questionnaire) == "[40]")
    }

    @Test("both PHQ-9 files give empty when nothing is answered (iif with {}; sum() of nothing)")
    func phq9Unanswered() throws {
        let empty: JSON = ["resourceType": "QuestionnaireResponse", "status": "in-progress"]
        #expect(try Self.calculate(Self.questionnaire("lhcforms-phq9-variables.json"), response: empty)["/44261-6"] == [])
        #expect(try Self.calculate(Self.questionnaire("lhcforms-phq9-weight.json"), response: empty)["/44261-6"] == [])
    }

    @Test("contained ValueSet weights: by #id and by url, compose concepts and expansion", arguments: [
        ("lhcforms-q-with-contained-valueset.json", "some-system-2", "some-code-1", "some-system-1", "some-code-2", Decimal(12)),
        ("lhcforms-q-with-contained-valueset.json", "some-system-1", "some-code-1", "some-system-2", "some-code-2", Decimal(21)),
        ("lhcforms-q-with-contained-valueset-with-itemWeight.json", "some-system-1", "some-code-1", "some-system-2", "some-code-2", Decimal(21)),
        ("lhcforms-q-with-contained-valueset-with-itemWeight.json", "some-system-2", "some-code-1", "some-system-1", "some-code-2", Decimal(12)),
    ])
    func containedValueSet(file: String, system1: String, code1: String, system2: String, code2: String, total: Decimal) throws {
        let response: JSON = ["resourceType": "QuestionnaireResponse", "item": [["linkId": "link-1", "item": [["linkId": "link-1.1", "item": [
            ["linkId": "link-1.1.1", "answer": [["valueCoding": ["system": .string(system1), "code": .string(code1)]]]],
            ["linkId": "link-1.1.2", "answer": [["valueCoding": ["system": .string(system2), "code": .string(code2)]]]],
        ]]]]]]
        let results = try Self.calculate(Self.questionnaire(file), response: response)
        #expect(results["link-2"] == [.decimal(total)])
    }
}
