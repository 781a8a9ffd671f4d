import Foundation
import Testing
import JSON
@testable import Questionnaire

@Suite struct CatalogueTests {
    typealias F = Fixtures

    static func file(_ name: String, url: String = "http://x/q", version: String, items: [JSON] = [F.item("a", "string")]) -> (name: String, bytes: [UInt8]) {
        guard case .object(var object) = F.makeQuestionnaire(items: items) else { return (name, []) }
        object["url"] = .string(url)
        object["version"] = .string(version)
        return (name, JSON.object(object).serializedBytes())
    }

    @Test func lookupsFindDefinitionsByReferenceAndLatestVersion() throws {
        let catalogue = try QuestionnaireCatalogue.build(files: [
            Self.file("a.json", version: "1.9.0"), Self.file("b.json", version: "1.10.0"),
            Self.file("c.json", version: "1.2"), Self.file("d.json", url: "http://x/other", version: "3.0.0"),
        ])
        #expect(catalogue.definition(reference: "http://x/q|1.9.0")?.sourceName == "a.json")
        #expect(catalogue.definition(url: "http://x/q", version: "1.10.0")?.sourceName == "b.json")
        #expect(catalogue.definition(reference: "http://x/q|9") == nil)
        #expect(catalogue.latest(url: "http://x/q")?.version == "1.10.0")
        #expect(catalogue.latest(url: "http://x/none") == nil)
        #expect(catalogue.all.map(\.reference) == ["http://x/other|3.0.0", "http://x/q|1.2", "http://x/q|1.9.0", "http://x/q|1.10.0"])
    }

    @Test func problemsOfAllFilesAreCollected() {
        let condition: JSON = ["question": "x", "operator": "exists", "answerBoolean": true]
        let files = [
            Self.file("a.json", version: "1"),
            Self.file("b.json", version: "1"),
            ("broken.json", Array("{".utf8)),
            Self.file("who5.json", version: "2", items: [F.item("a", "string"), F.item("b", "string"),
                                                         F.item("c", "string", ("enableWhen", [condition]))]),
        ]
        #expect {
            try QuestionnaireCatalogue.build(files: files)
        } throws: { error in
            guard case .invalidDefinitions(let problems) = error as? QuestionnaireCatalogueError else { return false }
            return problems.map(\.description) == [
                "broken.json: is not valid JSON: line 1, column 2: the document ends too early",
                "who5.json: item[2].enableWhen[0].question: refers to unknown linkId \"x\"",
                "b.json: http://x/q|1 is also defined in a.json",
            ]
        }
    }

    @Test func loadingAMissingFolderSaysSo() {
        #expect {
            try QuestionnaireCatalogue.load(directory: "/nonexistent/questionnaires")
        } throws: { error in
            if case .unreadableDirectory(let path, _) = error as? QuestionnaireCatalogueError { return path == "/nonexistent/questionnaires" }
            return false
        }
    }

    @Test("versions compare semantic-ish", arguments: [
        ("1.0.0", "1.0.0", ComparisonResult.orderedSame),
        ("1.2", "1.2.0", .orderedSame),
        ("1.9.0", "1.10.0", .orderedAscending),
        ("2.0.0", "1.99.99", .orderedDescending),
        ("1.0.0-beta", "1.0.0", .orderedAscending),
        ("1.0.0-alpha", "1.0.0-beta", .orderedAscending),
        ("1.0.0-rc.2", "1.0.0-rc.10", .orderedAscending),
        ("2024a", "2024b", .orderedAscending),
    ])
    func versionOrder(lhs: String, rhs: String, expected: ComparisonResult) {
        #expect(QuestionnaireCatalogue.compareVersions(lhs, rhs) == expected)
    }
}
