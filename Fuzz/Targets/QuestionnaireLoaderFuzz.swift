// libFuzzer target: arbitrary bytes as a Questionnaire JSON file (JSON.parse, then
// QuestionnaireDefinition.parse in both strictness modes), and everything a loaded definition
// is used for at once: pages, empty page posts, validation, scoring and triage, the response.
//
// Invariants, besides "never crashes or hangs":
// - JSON that parses serialises (compact and pretty) to text that parses to the same value;
// - a load either gives a definition or an error that lists at least one error-level problem;
// - the response built from the initial answers reads back to the same (pruned) answers.
import Foundation
import JSON
import Questionnaire

private let copenhagen = TimeZone(identifier: "Europe/Copenhagen") ?? .gmt
private let fixedNow = Date(timeIntervalSince1970: 1_767_268_800)

private func checkJSONRoundTrip(_ bytes: [UInt8]) {
    guard let json = try? JSON.parse(bytes) else { return }
    for pretty in [false, true] {
        let text = json.serializedBytes(pretty: pretty)
        do {
            let again = try JSON.parse(text)
            fuzzCheck(again == json, "JSON changes through serialisation (pretty: \(pretty)): \(String(decoding: text, as: UTF8.self))")
        } catch {
            fuzzCheck(false, "serialised JSON does not parse (pretty: \(pretty)): \(error)\n\(String(decoding: text, as: UTF8.self))")
        }
    }
}

private func exercise(_ definition: QuestionnaireDefinition) {
    let initial = definition.initialAnswers
    var draft = initial
    for page in definition.pages {
        let decoding = definition.decode(page: page.index, fields: [], language: "en", timeZone: copenhagen)
        draft.merge(decoding.answers, replacing: decoding.decodedLinkIds)
        _ = definition.validate(page: page.index, answers: draft)
    }
    _ = definition.validateAll(initial)
    _ = definition.evaluate(initial, now: fixedNow, timeZone: copenhagen)
    let response = definition.makeResponse(answers: initial, id: "fuzz", subject: nil, authored: "2026-01-01T12:00:00+01:00")
    do {
        let read = try definition.answers(fromResponse: response)
        fuzzCheck(read == definition.pruned(initial), "response does not read back to its answers: \(response.serialized())")
    } catch {
        fuzzCheck(false, "a response ByNeed built is unreadable: \(error)\n\(response.serialized())")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuestionnaireLoader(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = FuzzInput(start, count).bytes
    checkJSONRoundTrip(bytes)
    for strictness in [QuestionnaireDefinition.Strictness.catalogue, .lenient] {
        do {
            exercise(try QuestionnaireDefinition.parse(bytes: bytes, source: "fuzz.json", strictness: strictness))
        } catch {
            fuzzCheck(!error.errors.isEmpty, "load refused without an error-level problem: \(error)")
        }
    }
    return 0
}
