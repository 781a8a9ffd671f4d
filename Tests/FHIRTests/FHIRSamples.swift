@testable import FHIR
import Foundation
import JSON
@testable import Storage
import Testing

/// Every kind of resource the FHIR target produces, built from a real database, written to the
/// folder named by `BYNEED_FHIR_SAMPLES` when it is set, so that
/// Tests/Acceptance/test_fhir_resources.py can validate them against independent R4 models
/// (PyPI fhir.resources). Without the variable the samples are still built and checked.
@Suite struct FHIRSamples {
    /// The environment variable naming the output folder.
    static let folderVariable = "BYNEED_FHIR_SAMPLES"

    @Test func everyResourceKind() async throws {
        let red = try await storedCase("phq9", option: 3, decide: true)
        let who5 = try await storedCase("who5", option: 2, decide: false)
        let base = "https://byneed.example/fhir"
        var samples: [(String, JSON)] = [
            ("QuestionnaireResponse-phq9", try FHIRResources.questionnaireResponse(red.response)),
            ("QuestionnaireResponse-who5", try FHIRResources.questionnaireResponse(who5.response)),
            ("ClinicalImpression-triage-red", red.triageImpression),
            ("ClinicalImpression-triage-who5", who5.triageImpression),
            ("Patient", FHIRResources.patient(red.patient, lastUpdated: submittedAt)),
            ("Organization", FHIRResources.organization(red.department, lastUpdated: submittedAt)),
            ("Questionnaire-phq9", FHIRResources.questionnaire(red.definition, lastUpdated: submittedAt)),
            ("Questionnaire-who5", FHIRResources.questionnaire(who5.definition, lastUpdated: submittedAt)),
            ("CapabilityStatement", FHIRCapabilities.capabilityStatement(baseURL: base, softwareVersion: "0.6.0", date: submittedAt)),
        ]
        samples += Self.sharingAndAudit(red)
        for (index, observation) in (red.observations + who5.observations).enumerated() {
            samples.append(("Observation-\(index)", observation))
        }
        for (index, assessment) in red.assessments.enumerated() {
            samples.append(("ClinicalImpression-assessment-\(index)", assessment))
        }
        let errors: [FHIRError] = [
            .unknownParameters(["colour", "_sort"]), .invalidParameter(name: "authored", value: "x", reason: "not a date"),
            .notFound(resourceType: "Patient", id: "patient-9"), .authenticationRequired, .forbidden(reason: "no treatment relation"),
            .gone(resourceType: "Patient", id: "patient-9"), .rateLimited(retryAfterSeconds: 30),
            .invalidResource([ResourceProblem(code: .required, message: "status is required", expression: "QuestionnaireResponse.status")]),
            .unprocessable([ResourceProblem(code: .businessRule, message: "item1: Choose an answer.", expression: "QuestionnaireResponse.item[0]")]),
            .internalError("x"), .storageUnavailable(retryAfterSeconds: 1), .multipleMatches("If-None-Exist matches 2 responses"),
            .missingParameter(name: "patient", reason: "AuditEvents are listed for one patient at a time"),
        ]
        for (index, error) in errors.enumerated() {
            samples.append(("OperationOutcome-\(index)", error.operationOutcome.json))
        }
        let search = try SearchRequest.parse(resourceType: .questionnaireResponse,
                                             query: [("patient:identifier", "urn:oid:1.2.208.176.1.2|2512489996"),
                                                     ("_include", "QuestionnaireResponse:questionnaire"), ("_count", "1")])
        let matched = try FHIRResources.questionnaireResponse(red.response)
        samples.append(("Bundle-searchset", SearchBundle.make(
            request: search, baseURL: base, total: 2, matches: [matched],
            includes: [FHIRResources.questionnaire(red.definition, lastUpdated: submittedAt)],
            next: PageCursor(direction: .next, sortKey: Timestamp.string(red.response.authored), id: red.response.resourceID), previous: nil)))

        #expect(red.observations.count == 1 && who5.observations.count == 2)
        #expect(red.assessments.count == 2)
        for (name, json) in samples {
            #expect(json["resourceType"]?.stringValue == String(name.split(separator: "-")[0]), "\(name)")
        }
        guard let folder = ProcessInfo.processInfo.environment[Self.folderVariable], !folder.isEmpty else { return }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, json) in samples {
            let path = (folder as NSString).appendingPathComponent("\(name).json")
            try #require(FileManager.default.createFile(atPath: path, contents: Data(json.serializedBytes(pretty: true))), "\(path)")
        }
    }

    /// A lifted block, a withdrawn consent and an open one (Consent), and the audit rows of a
    /// named nurse, a protected one and an API client (AuditEvent), about the stored case.
    private static func sharingAndAudit(_ stored: StoredCase) -> [(String, JSON)] {
        let choices = [SharingChoice.Kind.block, .unblock, .consent, .withdrawConsent, .consent].enumerated().map { index, kind in
            SharingChoice(id: Int64(index + 1), patientID: stored.patient.id, organisation: stored.department, kind: kind,
                          at: submittedAt.addingTimeInterval(Double(index) * 3600),
                          expiresAt: kind == .consent ? submittedAt.addingTimeInterval(30 * 86_400) : nil, channel: "patient-page", actor: "patient")
        }
        let consents = ConsentEpisode.episodes(choices).enumerated().map { index, episode in
            ("Consent-\(index)", FHIRResources.consent(episode, patient: stored.patient, now: submittedAt.addingTimeInterval(86_400)))
        }
        let reads: [(AuditEntry.ActorKind, AuditEntry.Action, String, FHIRResources.AuditActor)] = [
            (.staff, .read, "patient-overview", .staff(displayName: "Sofie Sygeplejerske")),
            (.staff, .denied, "results", .protectedStaff),
            (.apiClient, .read, "QuestionnaireResponse/\(stored.response.resourceID)", .apiClient(id: "3")),
            (.apiClient, .read, "Observation search", .apiClient(id: "3")),
        ]
        let audits = reads.enumerated().map { index, read in
            let entry = AuditEntry(at: submittedAt, actorKind: read.0, actorID: "3", actorRole: "health-professional",
                                   organisationSOR: stored.department.sorCode, patientID: stored.patient.id, action: read.1, what: read.2,
                                   legalBasis: read.1 == .denied ? nil : "treatmentRelation", outcome: read.1 == .denied ? "denied:blocked" : "allowed")
            return ("AuditEvent-\(index)", FHIRResources.auditEvent(StoredAuditEvent(id: Int64(index + 1), entry: entry), patient: stored.patient,
                                                                    organisation: stored.department, actor: read.3))
        }
        return consents + audits
    }
}
