@testable import FHIR
import Foundation
import JSON
import Testing

private func parse(_ type: ResourceType, _ query: String, handling: SearchHandling = .strict) throws(FHIRError) -> SearchRequest {
    let pairs = query.isEmpty ? [] : query.split(separator: "&").map { pair -> (name: String, value: String) in
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
    }
    return try SearchRequest.parse(resourceType: type, query: pairs, handling: handling)
}

private func error(_ type: ResourceType, _ query: String, handling: SearchHandling = .strict) -> FHIRError? {
    do {
        _ = try parse(type, query, handling: handling)
        return nil
    } catch {
        return error
    }
}

private let cpr = "2512489996"

// MARK: - Valid searches

@Test(arguments: [
    "patient:identifier=urn:oid:1.2.208.176.1.2|2512489996",
    "patient.identifier=urn:oid:1.2.208.176.1.2|2512489996",
    "patient:Patient.identifier=urn:oid:1.2.208.176.1.2|2512489996",
    "subject:identifier=urn:oid:1.2.208.176.1.2|2512489996",
    "subject.identifier=urn:oid:1.2.208.176.1.2|251248-9996",
    "patient:identifier=2512489996",
])
func everyPatientIdentifierFormNamesTheCPRNumber(query: String) throws {
    #expect(try parse(.questionnaireResponse, query).patient == .cpr(cpr))
}

@Test(arguments: ["patient=Patient/patient-1", "patient=patient-1", "subject=Patient/patient-1", "subject:Patient=patient-1"])
func aPatientReferenceNamesTheResourceID(query: String) throws {
    #expect(try parse(.observation, query).patient == .resourceID("patient-1"))
}

@Test func questionnaireTakesCanonicalsWithAndWithoutVersionAndResourceIDs() throws {
    let request = try parse(.questionnaireResponse,
                            "questionnaire=http://byneed.dk/fhir/Questionnaire/phq9|1.0.0,http://byneed.dk/fhir/Questionnaire/who5,Questionnaire/phq9-1.0.0")
    #expect(request.questionnaires == [.canonical(url: "http://byneed.dk/fhir/Questionnaire/phq9", version: "1.0.0"),
                                       .canonical(url: "http://byneed.dk/fhir/Questionnaire/who5", version: nil),
                                       .resourceID("phq9-1.0.0")])
}

@Test func repeatedDatesMakeARangeAndTheRestHaveDefaults() throws {
    let request = try parse(.questionnaireResponse, "authored=ge2026-01-01&authored=lt2026-02-01&status=completed,amended")
    #expect(request.dates.map(\.prefix) == [.ge, .lt])
    #expect(request.statuses == ["completed", "amended"])
    #expect(request.count == SearchRequest.defaultCount)
    #expect(request.cursor == nil)
    #expect(!request.includesQuestionnaire)
}

@Test(arguments: [
    ("_count=5", 5), ("_count=0", 0), ("_count=100", 100), ("_count=1000", 100),
])
func countIsKeptWithinItsLimit(query: String, expected: Int) throws {
    let request = try parse(.observation, query)
    #expect(request.count == expected)
    #expect(request.linkQuery.first?.value == String(expected))
}

@Test(arguments: [
    ("code=http://loinc.org|44261-6", TokenCriterion(system: .exactly("http://loinc.org"), code: "44261-6")),
    ("code=|local", TokenCriterion(system: .none, code: "local")),
    ("code=44261-6", TokenCriterion(system: .any, code: "44261-6")),
    ("code=http://loinc.org|", TokenCriterion(system: .exactly("http://loinc.org"), code: nil)),
])
func tokensReadTheirSystemAndCode(query: String, expected: TokenCriterion) throws {
    #expect(try parse(.observation, query).codes == [expected])
}

@Test func resultParametersAreRead() throws {
    let cursor = PageCursor(direction: .next, sortKey: "2026-01-01T10:00:00Z", id: "abc")
    let request = try parse(.questionnaireResponse,
                            "_include=QuestionnaireResponse:questionnaire&_format=application/fhir json&_pretty=true&_page_token=\(cursor.token)")
    #expect(request.includesQuestionnaire)
    #expect(request.pretty)
    #expect(request.cursor == cursor)
    #expect(!request.linkQuery.contains { $0.name == PageCursor.parameterName })
}

@Test(arguments: ["json", "application/json", "application/fhir json", "application/fhir+json;charset=utf-8", "APPLICATION/JSON+FHIR"])
func jsonFormatsAreAccepted(format: String) throws {
    #expect(try parse(.patient, "_format=\(format)").linkQuery.map(\.name) == ["_format"])
}

@Test func questionnaireAndPatientSearchesHaveTheirOwnParameters() throws {
    let questionnaire = try parse(.questionnaire, "url=http://byneed.dk/fhir/Questionnaire/phq9&version=1.0.0&status=active")
    #expect(questionnaire.url == "http://byneed.dk/fhir/Questionnaire/phq9")
    #expect(questionnaire.version == "1.0.0")
    #expect(try parse(.patient, "identifier=urn:oid:1.2.208.176.1.2|2512489996").identifier == cpr)
    #expect(try parse(.clinicalImpression, "_id=ci-triage-x,ci-decision-2").ids == ["ci-triage-x", "ci-decision-2"])
}

@Test func lenientHandlingIgnoresUnknownParametersAndLeavesThemOutOfTheLinks() throws {
    let request = try parse(.questionnaireResponse, "status=completed&_sort=-authored&colour=red", handling: .lenient)
    #expect(request.ignoredParameters == ["_sort", "colour"])
    #expect(request.linkQuery.map(\.name) == ["status"])
}

@Test(arguments: [
    (nil, SearchHandling.strict), ("handling=lenient", .lenient), ("return=minimal; handling=lenient", .lenient),
    ("handling=strict", .strict), ("respond-async", .strict),
])
func preferHeaderChoosesTheHandling(header: String?, expected: SearchHandling) {
    #expect(SearchHandling(preferHeader: header) == expected)
}

// MARK: - Invalid searches

@Test(arguments: [
    (ResourceType.questionnaireResponse, "colour=red&status=completed&_sort=authored", FHIRError.unknownParameters(["colour", "_sort"])),
    (.questionnaireResponse, "status:not=completed", .unknownParameters(["status:not"])),
    (.questionnaireResponse, "patient:missing=true", .unknownParameters(["patient:missing"])),
    (.questionnaireResponse, "patient:identifier.name=x", .unknownParameters(["patient:identifier.name"])),
    (.observation, "authored=2026", .unknownParameters(["authored"])),
    (.organization, "address=x", .unknownParameters(["address"])),
    (.questionnaireResponse, "patient:identifier=urn:oid:1.2.208.176.1.1|2512489996",
     .invalidParameter(name: "patient:identifier", value: "urn:oid:1.2.208.176.1.1|2512489996",
                       reason: "only CPR numbers (system urn:oid:1.2.208.176.1.2) identify patients here")),
    (.questionnaireResponse, "patient:identifier=urn:oid:1.2.208.176.1.2|3212489996",
     .invalidParameter(name: "patient:identifier", value: "urn:oid:1.2.208.176.1.2|3212489996", reason: "not a CPR number (ten digits, a real birth date)")),
    (.questionnaireResponse, "patient=Patient/a b", .invalidParameter(name: "patient", value: "Patient/a b", reason: "not a Patient reference (Patient/<id>)")),
    (.questionnaireResponse, "authored=2026-13-01",
     .invalidParameter(name: "authored", value: "2026-13-01", reason: "not a date (YYYY, YYYY-MM, YYYY-MM-DD) or a dateTime with an offset (YYYY-MM-DDThh:mm[:ss]Z or ±hh:mm)")),
    (.questionnaireResponse, "authored=2026-01-01T10:00:00",
     .invalidParameter(name: "authored", value: "2026-01-01T10:00:00", reason: "not a date (YYYY, YYYY-MM, YYYY-MM-DD) or a dateTime with an offset (YYYY-MM-DDThh:mm[:ss]Z or ±hh:mm)")),
    (.questionnaireResponse, "authored=ap2026", .invalidParameter(name: "authored", value: "ap2026", reason: "prefix \"ap\" is not supported (use eq, gt, ge, lt or le)")),
    (.questionnaireResponse, "status=done", .invalidParameter(name: "status", value: "done", reason: "\"done\" is not one of in-progress, completed, amended, entered-in-error, stopped")),
    (.questionnaireResponse, "questionnaire=phq9", .invalidParameter(name: "questionnaire", value: "phq9", reason: "not a canonical URL (url or url|version) or Questionnaire/<id>")),
    (.questionnaireResponse, "status=", .invalidParameter(name: "status", value: "", reason: "a value is required")),
    (.observation, "code=|", .invalidParameter(name: "code", value: "|", reason: "not a token (system|code, |code or code)")),
    (.observation, "_count=-1", .invalidParameter(name: "_count", value: "-1", reason: "must be a whole number, 0 or more")),
    (.observation, "_count=ten", .invalidParameter(name: "_count", value: "ten", reason: "must be a whole number, 0 or more")),
    (.observation, "_include=QuestionnaireResponse:questionnaire",
     .invalidParameter(name: "_include", value: "QuestionnaireResponse:questionnaire", reason: "no includes are supported on Observation")),
    (.questionnaireResponse, "_include=QuestionnaireResponse:subject",
     .invalidParameter(name: "_include", value: "QuestionnaireResponse:subject", reason: "only QuestionnaireResponse:questionnaire is supported")),
    (.questionnaireResponse, "_pretty=yes", .invalidParameter(name: "_pretty", value: "yes", reason: "must be true or false")),
    (.questionnaire, "url=phq9", .invalidParameter(name: "url", value: "phq9", reason: "not an absolute URL")),
    (.questionnaireResponse, "_format=xml", .unsupportedFormat("xml")),
    (.questionnaireResponse, "_page_token=not*a*token", .invalidCursor("_page_token")),
    (.questionnaireResponse, "_page_token=bm90LWpzb24", .invalidCursor("_page_token")),
    (.questionnaireResponse, "patient=Patient/a&subject=Patient/b", .repeatedParameter("subject")),
    (.questionnaireResponse, "status=completed&status=amended", .repeatedParameter("status")),
    (.observation, "_count=1&_count=2", .repeatedParameter("_count")),
])
func invalidSearchesAreRefusedWithTheirReason(type: ResourceType, query: String, expected: FHIRError) {
    #expect(error(type, query) == expected)
    #expect(expected.httpStatus == 400 || expected.httpStatus == 406)
}

@Test func lenientHandlingStillRefusesBadValuesOfKnownParameters() {
    #expect(error(.questionnaireResponse, "status=done&foo=1", handling: .lenient)
        == .invalidParameter(name: "status", value: "done", reason: "\"done\" is not one of in-progress, completed, amended, entered-in-error, stopped"))
}

// MARK: - Dates

private let utc: TimeZone = .gmt
private func instant(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

@Test(arguments: [
    ("2026", "2025-12-31T23:00:00Z", "2026-12-31T23:00:00Z"),
    ("2026-03", "2026-02-28T23:00:00Z", "2026-03-31T22:00:00Z"),
    ("2026-07-01", "2026-06-30T22:00:00Z", "2026-07-01T22:00:00Z"),
    ("2026-07-01T10:15Z", "2026-07-01T10:15:00Z", "2026-07-01T10:16:00Z"),
    ("2026-07-01T10:15:30+02:00", "2026-07-01T08:15:30Z", "2026-07-01T08:15:31Z"),
])
func aDateValueCoversItsPrecisionInCopenhagenTime(value: String, start: String, end: String) throws {
    let criterion = try DateCriterion.parse(value)
    #expect(criterion.start == instant(start))
    #expect(criterion.end == instant(end))
}

@Test(arguments: [
    ("eq2026-07-01", "2026-07-01T12:00:00Z", true), ("eq2026-07-01", "2026-07-01T22:00:00Z", false),
    ("gt2026-07-01", "2026-07-01T21:59:59Z", false), ("gt2026-07-01", "2026-07-01T22:00:00Z", true),
    ("ge2026-07-01", "2026-06-30T22:00:00Z", true), ("ge2026-07-01", "2026-06-30T21:59:59Z", false),
    ("lt2026-07-01", "2026-06-30T21:59:59Z", true), ("lt2026-07-01", "2026-06-30T22:00:00Z", false),
    ("le2026-07-01", "2026-07-01T21:59:59Z", true), ("le2026-07-01", "2026-07-01T22:00:00Z", false),
])
func prefixesMatchInstantsAsR4Defines(value: String, at: String, matches: Bool) throws {
    #expect(try DateCriterion.parse(value).matches(instant(at)) == matches)
}

@Test(arguments: [
    (TokenCriterion(system: .exactly("http://loinc.org"), code: "44261-6"), "http://loinc.org", "44261-6", true),
    (TokenCriterion(system: .exactly("http://loinc.org"), code: "44261-6"), "http://snomed.info/sct", "44261-6", false),
    (TokenCriterion(system: .any, code: "44261-6"), "http://snomed.info/sct", "44261-6", true),
    (TokenCriterion(system: .none, code: "44261-6"), "http://loinc.org", "44261-6", false),
    (TokenCriterion(system: .exactly("http://loinc.org"), code: nil), "http://loinc.org", "70274-6", true),
])
func tokensMatchCodingsAsR4Defines(token: TokenCriterion, system: String, code: String, matches: Bool) {
    #expect(token.matches(system: system, code: code) == matches)
}

@Test func everyResourceTypeHasExactlyOneRowInTheTable() {
    #expect(FHIRCapabilities.resources.map(\.type) == ResourceType.allCases)
}

@Test func aTokenMatchesAnyCodingOfAConcept() {
    let concept: JSON = ["coding": [["system": "http://byneed.dk/fhir/CodeSystem/score", "code": "who5.total"],
                                    ["system": "http://loinc.org", "code": "44261-6"]]]
    #expect(TokenCriterion(system: .exactly("http://loinc.org"), code: "44261-6").matches(codeableConcept: concept))
    #expect(!TokenCriterion(system: .exactly("http://loinc.org"), code: "70274-6").matches(codeableConcept: concept))
}
