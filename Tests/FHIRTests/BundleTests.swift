@testable import FHIR
import JSON
import Testing

private let base = "https://byneed.example/fhir"

private func request(_ pairs: [(name: String, value: String)], handling: SearchHandling = .strict) throws -> SearchRequest {
    try SearchRequest.parse(resourceType: .questionnaireResponse, query: pairs, handling: handling)
}

private func links(_ bundle: JSON) -> [String: String] {
    var result: [String: String] = [:]
    for link in bundle["link"]?.arrayValue ?? [] {
        if let relation = link["relation"]?.stringValue, let url = link["url"]?.stringValue { result[relation] = url }
    }
    return result
}

@Test(arguments: [
    PageCursor(direction: .next, sortKey: "2026-11-22T05:00:00Z", id: "0f8fad5b-d9cb-469f-a165-70867728950e"),
    PageCursor(direction: .previous, sortKey: "", id: "x"),
    PageCursor(direction: .next, sortKey: "ø|&=?", id: "a\"b"),
])
func aCursorSurvivesItsToken(cursor: PageCursor) {
    #expect(PageCursor(token: cursor.token) == cursor)
    #expect(cursor.token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
}

@Test func theFirstPageLinksToItselfAndToTheNextPage() throws {
    let search = try request([("patient:identifier", "urn:oid:1.2.208.176.1.2|2512489996"), ("_count", "2")])
    let next = PageCursor(direction: .next, sortKey: "2026-01-02T00:00:00Z", id: "b")
    let bundle = SearchBundle.make(request: search, baseURL: base, total: 5, matches: [], next: next, previous: nil)
    let urls = links(bundle)
    #expect(urls["self"] == "\(base)/QuestionnaireResponse?patient:identifier=urn:oid:1.2.208.176.1.2%7C2512489996&_count=2")
    #expect(urls["next"] == "\(base)/QuestionnaireResponse?patient:identifier=urn:oid:1.2.208.176.1.2%7C2512489996&_count=2&_page_token=\(next.token)")
    #expect(urls["previous"] == nil)
    #expect(bundle["total"]?.intValue == 5)
    #expect(bundle["type"] == "searchset")
}

@Test func aLaterPageKeepsItsCursorInSelfAndLinksBothWays() throws {
    let current = PageCursor(direction: .next, sortKey: "k2", id: "b")
    let search = try request([("status", "completed"), ("_page_token", current.token)])
    let next = PageCursor(direction: .next, sortKey: "k4", id: "d")
    let previous = PageCursor(direction: .previous, sortKey: "k3", id: "c")
    let urls = links(SearchBundle.make(request: search, baseURL: base, total: nil, matches: [], next: next, previous: previous))
    #expect(urls["self"] == "\(base)/QuestionnaireResponse?status=completed&_page_token=\(current.token)")
    #expect(urls["next"]?.hasSuffix("_page_token=\(next.token)") == true)
    #expect(urls["previous"]?.hasSuffix("_page_token=\(previous.token)") == true)
    #expect(urls["next"]?.contains(current.token) == false)
}

@Test func ignoredParametersAreNotInTheSelfLink() throws {
    let search = try request([("foo", "1"), ("status", "completed")], handling: .lenient)
    let urls = links(SearchBundle.make(request: search, baseURL: base, total: 0, matches: [], next: nil, previous: nil))
    #expect(urls["self"] == "\(base)/QuestionnaireResponse?status=completed")
}

@Test func entriesHaveFullURLsAndSearchModes() throws {
    let search = try request([("_include", "QuestionnaireResponse:questionnaire")])
    let bundle = SearchBundle.make(request: search, baseURL: base, total: 1,
                                   matches: [["resourceType": "QuestionnaireResponse", "id": "r1"]],
                                   includes: [["resourceType": "Questionnaire", "id": "phq9-1.0.0"]], next: nil, previous: nil)
    let entries = bundle["entry"]?.arrayValue ?? []
    #expect(entries.map { $0["fullUrl"]?.stringValue } == ["\(base)/QuestionnaireResponse/r1", "\(base)/Questionnaire/phq9-1.0.0"])
    #expect(entries.map { $0["search"]?["mode"]?.stringValue } == ["match", "include"])
    #expect(bundle["total"]?.intValue == 1)
}

@Test func anEmptyResultHasNoEntryElement() throws {
    let bundle = SearchBundle.make(request: try request([]), baseURL: base, total: 0, matches: [], next: nil, previous: nil)
    #expect(bundle["entry"] == nil)
    #expect(links(bundle)["self"] == "\(base)/QuestionnaireResponse")
}

@Test(arguments: [("a|b", "a%7Cb"), ("a b", "a%20b"), ("ge2026-01-01T10:00:00+01:00", "ge2026-01-01T10:00:00%2B01:00"), ("æ", "%C3%A6"), ("x,y", "x,y")])
func linkValuesArePercentEncoded(raw: String, encoded: String) {
    #expect(SearchBundle.encode(raw) == encoded)
}

private let rows: [(sortKey: String, id: String)] = [("k1", "a"), ("k2", "b")]

@Test(arguments: [
    (nil as PageCursor.Direction?, true, true, false),
    (nil, false, false, false),
    (.next, true, true, true),
    (.next, false, false, true),
    (.previous, true, true, true),
    (.previous, false, true, false),
])
func pageLinksFollowTheReadingDirection(direction: PageCursor.Direction?, hasMore: Bool, hasNext: Bool, hasPrevious: Bool) {
    let current = direction.map { PageCursor(direction: $0, sortKey: "k0", id: "z") }
    let (next, previous) = PageCursor.links(page: rows, hasMore: hasMore, current: current)
    #expect((next != nil) == hasNext)
    #expect((previous != nil) == hasPrevious)
    if let next { #expect(next == PageCursor(direction: .next, sortKey: "k2", id: "b")) }
    if let previous { #expect(previous == PageCursor(direction: .previous, sortKey: "k1", id: "a")) }
}

@Test func anEmptyPageHasNoPagingLinks() {
    let (next, previous) = PageCursor.links(page: [], hasMore: true, current: PageCursor(direction: .next, sortKey: "k", id: "i"))
    #expect(next == nil && previous == nil)
}
