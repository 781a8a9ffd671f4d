// libFuzzer target: form bodies (HTTPCore.FormData) and the questionnaire's page decoding
// (Questionnaire.decode) against the shipped Questionnaires/demo-all-types.json, which has an
// item of every type.
//
// Input: an `application/x-www-form-urlencoded` body, as a browser would post it for one page.
// Invariants, besides "never crashes":
// - every non-empty `&`-separated part becomes exactly one field;
// - percent-encoding the decoded fields and decoding again gives the same fields;
// - a page decodes only its own questions, and answers only questions it decoded;
// - the response built from the merged answers is readable again, giving the same answers.
import Foundation
import HTTPCore
import Questionnaire

private let definition: QuestionnaireDefinition = {
    let path = fuzzRepositoryRoot + "/Questionnaires/demo-all-types.json"
    guard let data = FileManager.default.contents(atPath: path) else { fatalError("cannot read \(path)") }
    do {
        return try QuestionnaireDefinition.parse(bytes: Array(data), source: "demo-all-types.json")
    } catch {
        fatalError("demo-all-types.json does not load: \(error)")
    }
}()

private let copenhagen = TimeZone(identifier: "Europe/Copenhagen") ?? .gmt

/// Percent-encodes everything except RFC 3986 unreserved characters.
private func encode(_ text: String) -> String {
    text.utf8.map { byte in
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            String(UnicodeScalar(byte))
        default:
            "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
        }
    }.joined()
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

private func checkFormData(_ body: [UInt8]) -> [(name: String, value: String)] {
    let fields = FormData.decode(body)
    let parts = body.split(separator: UInt8(ascii: "&")).count
    fuzzCheck(fields.count == parts, "\(parts) parts gave \(fields.count) fields")
    let reencoded = fields.map { encode($0.name) + "=" + encode($0.value) }.joined(separator: "&")
    let again = FormData.decode(Array(reencoded.utf8))
    fuzzCheck(again.map(\.name) == fields.map(\.name) && again.map(\.value) == fields.map(\.value),
              "decoding is not stable under re-encoding: \(reencoded)")
    return fields
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormDecoder(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let fields = checkFormData(FuzzInput(start, count).bytes)
    var draft = ResponseAnswers()
    for page in definition.pages {
        let decoding = definition.decode(page: page.index, fields: fields, language: "da", timeZone: copenhagen)
        let onPage = Set(page.allItems.map(\.linkId))
        fuzzCheck(decoding.decodedLinkIds.allSatisfy(onPage.contains), "page \(page.index) decoded another page's question")
        fuzzCheck(Set(decoding.answers.linkIds).isSubset(of: decoding.decodedLinkIds), "answer to a question not decoded")
        draft.merge(decoding.answers, replacing: decoding.decodedLinkIds)
        _ = definition.validate(page: page.index, answers: draft)
    }
    _ = definition.validateAll(draft)
    let response = definition.makeResponse(answers: draft, id: "fuzz", subject: nil, authored: "2026-01-01T12:00:00+01:00")
    do {
        let read = try definition.answers(fromResponse: response)
        fuzzCheck(read == definition.pruned(draft), "response does not read back to its answers: \(response.serialized())")
    } catch {
        fuzzCheck(false, "a response ByNeed built is unreadable: \(error)\n\(response.serialized())")
    }
    return 0
}
