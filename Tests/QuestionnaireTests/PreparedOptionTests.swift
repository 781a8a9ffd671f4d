import Foundation
import JSON
import Testing
@testable import Questionnaire

/// The response JSON prepared per definition for each Coding answer option is exactly what
/// building it for the answer gives, and an answer that differs from the option in any byte
/// is written as answered.
@Suite struct PreparedOptionTests {
    static let shippedNames = ((try? FileManager.default.contentsOfDirectory(atPath: Fixtures.questionnairesDirectory)) ?? [])
        .filter { $0.hasSuffix(".json") }.sorted()

    /// The single response item for `linkId` in a response to `definition`.
    static func responseItem(_ definition: QuestionnaireDefinition, _ linkId: String, _ value: AnswerValue) -> JSON? {
        var answers = ResponseAnswers()
        answers.set(linkId, [value])
        var pending = definition.makeResponse(answers: answers, id: "t", subject: nil, authored: "2026-01-01")["item"]?.arrayValue ?? []
        while let item = pending.popLast() {
            if item["linkId"]?.stringValue == linkId { return item }
            pending += item["item"]?.arrayValue ?? []
        }
        return nil
    }

    @Test("each option's prepared response item equals the one built for the answer", arguments: shippedNames)
    func preparedEqualsBuilt(name: String) throws {
        let definition = try Fixtures.shipped(name)
        var compared = 0
        for item in definition.flattenedItems where item.type == .choice || item.type == .openChoice {
            for option in item.answerOptions {
                guard case .coding = option.value, definition.isEnabled(item.linkId, answers: ResponseAnswers()) else { continue }
                let built = QuestionnaireDefinition.answeredItem(item, answers: [option.value.answerJSON])
                #expect(Self.responseItem(definition, item.linkId, option.value) == built, "\(name) \(item.linkId)")
                compared += 1
            }
        }
        #expect(compared > 0 || !name.hasPrefix("phq9"))
    }

    @Test("an answer canonically equal to its option but encoded otherwise keeps its own bytes")
    func answerBytesAreKept() throws {
        let option: JSON = ["valueCoding": ["system": "http://s", "code": "a", "display": "Caf\u{E9}"]]
        let definition = try Fixtures.definition([Fixtures.item("q", "choice", ("answerOption", [option]))])
        let precomposed = Coding(system: "http://s", code: "a", display: "Caf\u{E9}")
        let decomposed = Coding(system: "http://s", code: "a", display: "Cafe\u{301}")
        try #require(precomposed == decomposed, "Swift compares strings by canonical equivalence")
        for coding in [precomposed, decomposed] {
            let item = try #require(Self.responseItem(definition, "q", .coding(coding)))
            let display = try #require(item["answer"]?[0]?["valueCoding"]?["display"]?.stringValue)
            #expect(Array(display.utf8) == Array(coding.display!.utf8))
        }
    }
}
