import FHIRPath
import Foundation
import JSON
import Testing

/// `weight()` through a Questionnaire's index (`FHIRPathNode(questionnaire:)`, as scoring uses
/// it) gives exactly what the search through the Questionnaire's JSON gives, for every answer
/// every shipped and every conformance Questionnaire offers, and for near misses.
struct AnswerWeightsIndexTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every shipped Questionnaire and every Questionnaire of the conformance corpus.
    static let files: [URL] = {
        let folders = [root.appendingPathComponent("Questionnaires"), Fixture.folder.appendingPathComponent("questionnaires")]
        return folders.flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
                .filter { $0.pathExtension == "json" }
        }.sorted { $0.path < $1.path }
    }()

    static func items(_ json: JSON) -> [JSON] {
        (json["item"]?.arrayValue ?? []).flatMap { [$0] + items($0) }
    }

    /// The answers to try for one item: each option's value, each Coding also without its
    /// system, with another system and with another code, and every concept of every contained
    /// ValueSet (compose and expansion, nested) as a Coding.
    static func candidates(_ item: JSON, in questionnaire: JSON) -> [JSON] {
        var codings: [JSON] = []
        var answers: [JSON] = []
        for option in item["answerOption"]?.arrayValue ?? [] {
            guard let member = option.objectValue?.first(where: { $0.key.hasPrefix("value") }) else { continue }
            if member.key == "valueCoding" { codings.append(member.value) } else { answers.append(.object(JSONObject([(member.key, member.value)]))) }
        }
        for valueSet in questionnaire["contained"]?.arrayValue ?? [] {
            for include in valueSet["compose"]?["include"]?.arrayValue ?? [] {
                for concept in include["concept"]?.arrayValue ?? [] {
                    codings.append(.object(JSONObject([("system", include["system"] ?? .null), ("code", concept["code"] ?? .null)])))
                }
            }
            var pending = valueSet["expansion"]?["contains"]?.arrayValue ?? []
            while let concept = pending.popLast() {
                pending += concept["contains"]?.arrayValue ?? []
                codings.append(.object(JSONObject([("system", concept["system"] ?? .null), ("code", concept["code"] ?? .null)])))
            }
        }
        for coding in codings {
            var withoutSystem = coding.objectValue ?? JSONObject()
            withoutSystem["system"] = nil
            var otherSystem = withoutSystem
            otherSystem["system"] = "urn:test:other-system"
            var otherCode = coding.objectValue ?? JSONObject()
            otherCode["code"] = "no-such-code"
            for variant in [coding, .object(withoutSystem), .object(otherSystem), .object(otherCode)] {
                answers.append(["valueCoding": variant])
            }
        }
        return answers
    }

    static func weights(_ expression: FHIRPathExpression, response: JSON, questionnaire: FHIRPathNode) throws -> [FHIRPathValue] {
        var environment = FHIRPathEnvironment(now: Fixture.now)
        environment.setResource(FHIRPathNode(json: response), questionnaire: questionnaire)
        return try expression.evaluate(response, environment: environment)
    }

    @Test("weight() via the linkId index equals weight() via the Questionnaire JSON", arguments: files)
    func indexedEqualsSearched(file: URL) throws {
        let json = try JSON.parse([UInt8](Data(contentsOf: file)))
        let indexed = FHIRPathNode(questionnaire: json)
        let searched = FHIRPathNode(json: json, typeName: "Questionnaire")
        let expressions = try ["item.answer.weight()", "item.answer.value.weight()", "item.answer.ordinal()"].map(FHIRPathExpression.compile)
        var compared = 0
        for item in Self.items(json) {
            guard let linkId = item["linkId"] else { continue }
            for answer in Self.candidates(item, in: json) {
                let response: JSON = ["resourceType": "QuestionnaireResponse", "item": [["linkId": linkId, "answer": [answer]]]]
                for expression in expressions {
                    let byIndex = try Self.weights(expression, response: response, questionnaire: indexed)
                    #expect(byIndex == (try Self.weights(expression, response: response, questionnaire: searched)),
                            "\(file.lastPathComponent) \(linkId) \(answer.serialized()) \(expression.source)")
                    compared += byIndex.count
                }
            }
        }
        // Each of these files weighs at least one of its answers, so the comparison is not vacuous.
        #expect(compared > 0 || !json.serialized().contains("ordinalValue") && !json.serialized().contains("itemWeight"))
    }
}
