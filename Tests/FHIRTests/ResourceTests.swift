@testable import FHIR
import Foundation
import JSON
import Questionnaire
@testable import Storage
import Testing

private let department = Department(id: DepartmentID(rawValue: 1), sorCode: "999999999999999", name: "Demo-epilepsiklinikken", phone: "70 10 20 30")

@Test func anObservationCarriesTheScoreCodeValueBandAndItsOrigin() async throws {
    let stored = try await storedCase("phq9", option: 2, decide: false)
    let observation = try #require(stored.observations.first)
    let total = try #require(stored.scores["total"])
    #expect(observation["id"]?.stringValue == "obs-\(stored.response.resourceID)-total")
    #expect(observation["meta"]?["versionId"] == "1")
    #expect(observation["meta"]?["lastUpdated"]?.stringValue == Timestamp.string(stored.response.authored))
    #expect(observation["status"] == "final")
    #expect(observation["category"]?[0]?["coding"]?[0]?["code"] == "survey")
    #expect(observation["code"]?["coding"]?[0]?["system"] == "http://loinc.org")
    #expect(observation["code"]?["coding"]?[0]?["code"] == "44261-6")
    #expect(observation["valueQuantity"]?["value"]?.numberValue?.literal == total.value)
    #expect(observation["valueQuantity"]?["code"] == "{score}")
    #expect(observation["interpretation"]?[0]?["coding"]?[0]?["code"]?.stringValue == total.band)
    #expect(observation["derivedFrom"]?[0]?["reference"]?.stringValue == "QuestionnaireResponse/\(stored.response.resourceID)")
    #expect(observation["subject"]?["identifier"]?["system"]?.stringValue == FHIRSystems.cpr)
    #expect(observation["subject"]?["identifier"]?["value"]?.stringValue == DemoData.patientCPR)
    #expect(observation["performer"]?[0]?["identifier"]?["value"]?.stringValue == DemoData.departmentSOR)
    #expect(observation["effectiveDateTime"]?.stringValue == Timestamp.string(submittedAt))
}

@Test func aScoreWithAUCUMUnitIsAQuantityInThatUnitAndAnUncodedScoreGetsAByNeedCode() async throws {
    let stored = try await storedCase("who5", option: 3, decide: false)
    let byLinkId = Dictionary(uniqueKeysWithValues: stored.observations.map { ($0["id"]?.stringValue ?? "", $0) })
    let percentage = try #require(byLinkId["obs-\(stored.response.resourceID)-percentage"])
    #expect(percentage["valueQuantity"]?["system"]?.stringValue == FHIRSystems.ucum)
    #expect(percentage["valueQuantity"]?["code"] == "%")
    let total = try #require(byLinkId["obs-\(stored.response.resourceID)-total"])
    #expect(total["code"]?["coding"]?[0]?["system"]?.stringValue == FHIRSystems.score)
    #expect(total["code"]?["coding"]?[0]?["code"]?.stringValue?.hasSuffix(".total") == true)
}

@Test func aScoreThatWasNotComputedGivesNoObservation() async throws {
    let stored = try await storedCase("phq9", option: 1, decide: false)
    let scores = stored.scores.mapValues { _ in FHIRResources.StoredScore(value: nil, band: nil) }
    #expect(FHIRResources.observations(response: stored.response, scores: scores, definition: stored.definition,
                                       patient: stored.patient, department: stored.department).isEmpty)
}

@Test func theTriageImpressionCodesTheColourAndGivesEveryReason() async throws {
    let stored = try await storedCase("phq9", option: 3, decide: false)
    #expect(stored.triage.colour == .red)
    let impression = stored.triageImpression
    #expect(impression["id"]?.stringValue == "ci-triage-\(stored.response.resourceID)")
    #expect(impression["status"] == "completed")
    #expect(impression["code"]?["coding"]?[1]?["code"] == "TriagingResult")
    let findings = impression["finding"]?.arrayValue ?? []
    #expect(findings.count == 1 + stored.triage.findings.count + stored.flags.count)
    #expect(findings.first?["itemCodeableConcept"]?["coding"]?[0]?["system"]?.stringValue == FHIRSystems.triageColour)
    #expect(findings.first?["itemCodeableConcept"]?["coding"]?[0]?["code"] == "red")
    #expect(findings.dropFirst().prefix(stored.triage.findings.count).map { $0["itemCodeableConcept"]?["text"]?.stringValue }
        == stored.triage.findings.map(\.reason.base))
    #expect(impression["supportingInfo"]?[0]?["reference"]?.stringValue == "QuestionnaireResponse/\(stored.response.resourceID)")
    #expect(impression["investigation"]?[0]?["item"]?.arrayValue?.count == 1 + stored.observations.count)
}

@Test func aGreenResponseHasOnlyTheOverallFinding() async throws {
    let stored = try await storedCase("phq9", option: 0, decide: false)
    #expect(stored.triage.findings.isEmpty)
    #expect(stored.triageImpression["finding"]?.arrayValue?.count == 1 + stored.flags.count)
    #expect(stored.triageImpression["summary"] == "Grøn")
}

@Test func aCorrectedDecisionIsSupersededAndTheCorrectionPointsAtIt() async throws {
    let stored = try await storedCase("phq9", option: 3, decide: true)
    let assessments = stored.assessments
    try #require(assessments.count == 2)
    let (first, second) = (assessments[0], assessments[1])
    #expect(first["status"] == "entered-in-error")
    #expect(first["meta"]?["versionId"] == "2")
    #expect(first["meta"]?["lastUpdated"]?.stringValue == Timestamp.string(stored.decisions[1].decidedAt))
    #expect(first["previous"]?["reference"]?.stringValue == "ClinicalImpression/ci-triage-\(stored.response.resourceID)")
    #expect(first["note"]?[0]?["text"] == "Ringet op, aftalt ny tid")
    #expect(second["status"] == "completed")
    #expect(second["meta"]?["versionId"] == "1")
    #expect(second["previous"]?["reference"]?.stringValue == "ClinicalImpression/\(first["id"]?.stringValue ?? "")")
    #expect(second["assessor"]?["display"] == "Sofie Sygeplejerske")
    #expect(second["code"]?["coding"]?[1]?["code"] == "MeasurementAssessment")
    let decision = second["extension"]?[0]?["extension"]?.arrayValue ?? []
    #expect(decision.first?["valueCoding"]?["code"] == "visit-booked")
    #expect(decision.dropFirst().first?["valueDate"] == "2026-12-01")
}

@Test func aMaskedAssessorIsLeftOut() async throws {
    let stored = try await storedCase("phq9", option: 3, decide: true)
    let impression = FHIRResources.assessmentImpression(decision: stored.decisions[1], correctedBy: nil, response: stored.response,
                                                        patient: stored.patient, assessorName: nil)
    #expect(impression["assessor"] == nil)
}

@Test func theStoredResponseIsServedAsStoredWithMetaAfterItsID() async throws {
    let stored = try await storedCase("phq9", option: 1, decide: false)
    let resource = try FHIRResources.questionnaireResponse(stored.response)
    #expect(resource.objectValue?.keys.prefix(3) == ["resourceType", "id", "meta"])
    var withoutMeta = try #require(resource.objectValue)
    withoutMeta["meta"] = nil
    #expect(JSON.object(withoutMeta) == (try JSON.parse(stored.response.resourceJSON)))
}

@Test func aCorruptStoredResponseIsAnInternalError() {
    let response = StoredResponse(id: ResponseID(rawValue: 1), resourceID: "r", invitationID: InvitationID(rawValue: 1),
                                  patientID: PatientID(rawValue: 1), questionnaireReference: "u|1", authored: submittedAt, resourceJSON: "{")
    #expect(throws: FHIRError.self) { try FHIRResources.questionnaireResponse(response) }
}

@Test func aPatientIsMinimalAndItsVersionFollowsItsContent() {
    let patient = Patient(id: PatientID(rawValue: 3), cpr: "2512489996", name: "Nancy Berggren", language: "da",
                          departmentID: department.id, contact: PatientContact(email: "nancy@example.org"))
    let renamed = Patient(id: patient.id, cpr: patient.cpr, name: "Nancy Ann Berggren", language: "da",
                          departmentID: department.id, contact: patient.contact)
    let resource = FHIRResources.patient(patient, lastUpdated: submittedAt)
    #expect(resource.objectValue?.keys == ["resourceType", "id", "meta", "identifier", "name"])
    #expect(resource["id"] == "patient-3")
    #expect(FHIRResources.patient(patient, lastUpdated: submittedAt.addingTimeInterval(60))["meta"]?["versionId"] == resource["meta"]?["versionId"])
    #expect(FHIRResources.patient(renamed, lastUpdated: submittedAt)["meta"]?["versionId"] != resource["meta"]?["versionId"])
}

@Test func anOrganizationHasItsSORIdentifierAndPhone() {
    let organization = FHIRResources.organization(department, lastUpdated: submittedAt)
    #expect(organization["id"] == "sor-999999999999999")
    #expect(organization["identifier"]?[0]?["system"]?.stringValue == FHIRSystems.sor)
    #expect(organization["telecom"]?[0]?["value"] == "70 10 20 30")
}

@Test func aQuestionnaireKeepsItsSourceWithAnIDPerVersion() throws {
    let phq9 = try definition("phq9")
    let resource = FHIRResources.questionnaire(phq9, lastUpdated: submittedAt)
    #expect(resource["id"] == "phq9-1.0.0")
    #expect(resource["url"] == phq9.source["url"])
    #expect(resource["item"] == phq9.source["item"])
    #expect(resource["meta"]?["lastUpdated"]?.stringValue == Timestamp.string(submittedAt))
}

// MARK: - Capabilities

@Test func theCapabilityStatementAdvertisesExactlyTheTable() {
    let statement = FHIRCapabilities.capabilityStatement(baseURL: "https://byneed.example/fhir", softwareVersion: "1.0", date: submittedAt)
    #expect(statement["fhirVersion"] == "4.0.1")
    let resources = statement["rest"]?[0]?["resource"]?.arrayValue ?? []
    #expect(resources.map { $0["type"]?.stringValue } == FHIRCapabilities.resources.map(\.type.rawValue))
    for (json, row) in zip(resources, FHIRCapabilities.resources) {
        #expect((json["searchParam"]?.arrayValue ?? []).map { $0["name"]?.stringValue } == row.searchParameters.map(\.name))
        #expect((json["interaction"]?.arrayValue ?? []).map { $0["code"]?.stringValue } == row.interactions.map(\.rawValue))
        #expect(json["conditionalCreate"] == (row.type == .questionnaireResponse ? .bool(true) : nil))
    }
    #expect(statement["rest"]?[0]?["security"]?["description"]?.stringValue?.contains("Authorization: Bearer") == true)
}

@Test(arguments: [
    ("QuestionnaireResponse", Interaction.create, nil as FHIRError?),
    ("Observation", .searchType, nil),
    ("Observation", .create, FHIRError.unsupportedInteraction(resourceType: "Observation", interaction: "create")),
    ("Organization", .searchType, nil),
    ("Consent", .create, .unsupportedInteraction(resourceType: "Consent", interaction: "create")),
    ("AuditEvent", .create, .unsupportedInteraction(resourceType: "AuditEvent", interaction: "create")),
    ("Encounter", .read, .unknownResourceType("Encounter")),
])
func routingIsCheckedAgainstTheSameTable(type: String, interaction: Interaction, expected: FHIRError?) {
    do {
        _ = try FHIRCapabilities.check(type, interaction)
        #expect(expected == nil)
    } catch {
        #expect(error == expected)
    }
}

@Test func everyAdvertisedParameterIsAcceptedByTheParser() {
    for row in FHIRCapabilities.resources {
        for parameter in row.searchParameters {
            do {
                _ = try SearchRequest.parse(resourceType: row.type, query: [(parameter.name, "x")])
            } catch {
                if case .unknownParameters(let names) = error { Issue.record("\(row.type.rawValue) refuses its advertised \(names)") }
            }
        }
    }
}

/// PHQ-9 with its total declared as an integer score and without its LOINC code.
private func integerPHQ9() throws -> QuestionnaireDefinition {
    guard var root = try definition("phq9").source.objectValue, var group = root["item"]?[0]?.objectValue, var items = group["item"]?.arrayValue,
          let index = items.firstIndex(where: { $0["linkId"] == "total" }), var total = items[index].objectValue else {
        throw FHIRError.internalError("phq9 changed shape")
    }
    total["type"] = "integer"
    total["code"] = nil
    items[index] = .object(total)
    group["item"] = .array(items)
    root["item"] = [.object(group)]
    return try QuestionnaireDefinition.parse(.object(root), source: "phq9-integer.json")
}

@Test func anIntegerScoreWithoutUnitIsAValueInteger() async throws {
    let stored = try await storedCase("phq9", option: 1, decide: false)
    let observation = try #require(FHIRResources.observations(response: stored.response, scores: ["total": ("9", nil)],
                                                              definition: try integerPHQ9(), patient: stored.patient,
                                                              department: stored.department).first)
    #expect(observation["valueInteger"]?.intValue == 9)
    #expect(observation["valueQuantity"] == nil)
    #expect(observation["interpretation"] == nil)
    #expect(observation["code"]?["coding"]?[0]?["system"]?.stringValue == FHIRSystems.score)
    #expect(observation["code"]?["coding"]?[0]?["code"] == "PHQ9.total")
}
