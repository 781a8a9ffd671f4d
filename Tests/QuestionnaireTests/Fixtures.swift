import Foundation
import JSON
@testable import Questionnaire

/// Builders and file locations shared by the questionnaire tests.
enum Fixtures {
    /// The package root, found from this file's path (Tests/QuestionnaireTests/Fixtures.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shipped definitions folder.
    static let questionnairesDirectory = packageRoot.appendingPathComponent("Questionnaires").path

    /// The shared conformance corpus (`shared/conformance/questionnaires`), looked for in the
    /// package root's ancestors so it works from the main checkout and from worktrees.
    static var conformanceDirectory: String? {
        var directory = packageRoot
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("shared/conformance/questionnaires").path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }

    /// A minimal valid catalogue-mode Questionnaire around `items`, with `extra` top-level members.
    static func makeQuestionnaire(items: [JSON], extra: [(String, JSON)] = []) -> JSON {
        var object = JSONObject([
            ("resourceType", "Questionnaire"), ("url", "http://example.org/q"), ("version", "1.0.0"),
            ("status", "active"), ("language", "da"), ("title", "Test"),
        ])
        for (key, value) in extra { object[key] = value }
        object["item"] = .array(items)
        return .object(object)
    }

    /// An item object with `linkId`, `type` and extra members in order.
    static func item(_ linkId: String, _ type: String, _ members: (String, JSON)...) -> JSON {
        .object(JSONObject([("linkId", .string(linkId)), ("type", .string(type))] + members))
    }

    /// A choice item with coding options `a`, `b`, `c` (ordinal 0, 1, 2) in system `http://s`.
    static func codingChoice(_ linkId: String, _ members: (String, JSON)...) -> JSON {
        let options: [JSON] = ["a", "b", "c"].enumerated().map { index, code in
            ["valueCoding": ["system": "http://s", "code": .string(code), "display": .string(code.uppercased())],
             "extension": [["url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": .number(JSONNumber(index))]]]
        }
        return .object(JSONObject([("linkId", .string(linkId)), ("type", "choice"), ("answerOption", .array(options))] + members))
    }

    static func extensionValue(_ name: String, _ element: String, _ value: JSON) -> JSON {
        ["url": .string("http://hl7.org/fhir/StructureDefinition/" + name), element: value]
    }

    /// Parses `items` into a definition, failing the test with the problems if it does not load.
    static func definition(_ items: [JSON]) throws -> QuestionnaireDefinition {
        try QuestionnaireDefinition.parse(makeQuestionnaire(items: items), source: "test.json")
    }

    static func shipped(_ name: String) throws -> QuestionnaireDefinition {
        let data = try Data(contentsOf: URL(fileURLWithPath: questionnairesDirectory).appendingPathComponent(name))
        return try QuestionnaireDefinition.parse(bytes: Array(data), source: name)
    }

    static let copenhagen = TimeZone(identifier: "Europe/Copenhagen")!
}
