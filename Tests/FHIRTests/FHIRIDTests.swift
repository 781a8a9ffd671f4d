@testable import FHIR
import Storage
import Testing

@Test(arguments: ["phq9-1.0.0", "a", "obs-0f8fad5b-d9cb-469f-a165-70867728950e-total", String(repeating: "x", count: 64)])
func aValidIDIsKeptAsItIs(id: String) {
    #expect(FHIRID.isValid(id))
    #expect(FHIRID.make(id) == id)
}

@Test(arguments: ["", "a_b", "item 1", "æøå", "a/b", String(repeating: "x", count: 65),
                  "obs-0f8fad5b-d9cb-469f-a165-70867728950e-a-very-long-link-id-that-goes-past-the-limit"])
func anInvalidIDIsSanitisedToAValidStableOne(raw: String) {
    let id = FHIRID.make(raw)
    #expect(FHIRID.isValid(id))
    #expect(id != raw)
    #expect(FHIRID.make(raw) == id)
}

@Test func textsThatSanitiseAlikeStillGetDifferentIDs() {
    #expect(FHIRID.make("a_b") != FHIRID.make("a b"))
    #expect(FHIRID.make("a_b") != "a-b")
}

@Test func theHashIsFNV1aAndStableAcrossRuns() {
    // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (the reference test vector).
    #expect(FHIRID.hash("a") == "af63dc4c8601")
}

@Test(arguments: [
    ("Observation", "obs-0f8fad5b-d9cb-469f-a165-70867728950e-total", DerivedID.Target.observationOfResponse(responseResourceID: "0f8fad5b-d9cb-469f-a165-70867728950e")),
    ("ClinicalImpression", "ci-triage-0f8fad5b-d9cb-469f-a165-70867728950e", .triage(responseResourceID: "0f8fad5b-d9cb-469f-a165-70867728950e")),
    ("ClinicalImpression", "ci-decision-7", .decision(DecisionID(rawValue: 7))),
    ("Patient", "patient-12", .patient(PatientID(rawValue: 12))),
    ("Organization", "sor-999999999999999", .organization(sorCode: "999999999999999")),
])
func derivedIDsLeadBackToTheirRecords(type: String, id: String, expected: DerivedID.Target) {
    #expect(DerivedID.target(resourceType: type, id: id) == expected)
}

@Test(arguments: [("Observation", "obs-short"), ("ClinicalImpression", "ci-decision-x"), ("Patient", "2512489996"), ("Questionnaire", "phq9")])
func idsByNeedNeverIssuedLeadNowhere(type: String, id: String) {
    #expect(DerivedID.target(resourceType: type, id: id) == nil)
}
