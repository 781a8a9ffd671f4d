import FHIR
import Foundation
import HTTPCore
import JSON
import Questionnaire
import Sharing
import SQLite
import Storage

extension FHIRAPI {
    /// `GET /fhir/<type>/<id>` (FHIR R4 http.html §3.1.0.2 "read") and, with `version`,
    /// `GET /fhir/<type>/<id>/_history/<version>` ("vread", §3.1.0.3): the resource with
    /// `ETag: W/"<versionId>"` and `Last-Modified`; `If-None-Match` naming the current version
    /// gives 304 without a body. Only the current version is kept, so a vread of any other
    /// version is not found (the access check and its audit row come first, as for a read).
    func read(_ request: HTTPRequest, typeName: String, id: String, version requested: String? = nil,
              caller: FHIRCaller) async throws -> HTTPResponse {
        let type = try FHIRCapabilities.check(typeName, requested == nil ? .read : .vread)
        try requireScope(caller, type, "read")
        let now = context.clock()
        let found = try await context.database.write { db in try resource(db, type: type, id: id, caller: caller, now: now) }
        let version = found?["meta"]?["versionId"]?.stringValue ?? ResourceMeta.firstVersion
        guard let resource = found, requested == nil || requested == version else {
            throw Self.notFound(typeName, id, version: requested)
        }
        let tag = "W/\"\(version)\""
        let lastModified = resource["meta"]?["lastUpdated"]?.stringValue.flatMap(Timestamp.date).map(HTTPDate.format)
        var response: HTTPResponse
        if request.headers.listElements(for: "If-None-Match").contains(where: { $0 == tag || $0 == "*" || $0 == "\"\(version)\"" }) {
            response = HTTPResponse(status: .notModified)
        } else {
            response = answer(resource)
        }
        response.headers.set("ETag", tag)
        if let lastModified { response.headers.set("Last-Modified", lastModified) }
        return response
    }

    /// The resource `type/id` as the caller may see it; nil when there is none; throws `Denied`
    /// (after nothing was returned) when the policy refuses the patient's data.
    private func resource(_ db: Connection, type: ResourceType, id: String, caller: FHIRCaller, now: Date) throws -> JSON? {
        switch type {
        case .questionnaireResponse:
            guard let response = try Responses.find(db, resourceID: id) else { return nil }
            _ = try authorise(db, caller, patientID: response.patientID, data: .results, what: "QuestionnaireResponse/\(id)", now: now)
            return try FHIRResources.questionnaireResponse(response)
        case .observation:
            guard case .observationOfResponse(let responseID)? = DerivedID.target(resourceType: "Observation", id: id),
                  let response = try Responses.find(db, resourceID: responseID) else { return nil }
            _ = try authorise(db, caller, patientID: response.patientID, data: .results, what: "Observation/\(id)", now: now)
            return try observations(db, response).first { $0["id"]?.stringValue == id }
        case .clinicalImpression:
            switch DerivedID.target(resourceType: "ClinicalImpression", id: id) {
            case .triage(let responseID)?:
                guard let response = try Responses.find(db, resourceID: responseID) else { return nil }
                _ = try authorise(db, caller, patientID: response.patientID, data: .results, what: "ClinicalImpression/\(id)", now: now)
                return try triageImpression(db, response)
            case .decision(let decisionID)?:
                guard let decision = try Decisions.find(db, id: decisionID) else { return nil }
                _ = try authorise(db, caller, patientID: decision.patientID, data: .decisions, what: "ClinicalImpression/\(id)", now: now)
                return try assessments(db, decision.patientID).first { $0.json["id"]?.stringValue == id }?.json
            default:
                return nil
            }
        case .patient:
            guard case .patient(let patientID)? = DerivedID.target(resourceType: "Patient", id: id),
                  let patient = try Patients.find(db, id: patientID) else { return nil }
            _ = try authorise(db, caller, patientID: patient.id, data: .identity, what: "Patient/\(id)", now: now)
            return try stableMeta(db, FHIRResources.patient(patient, lastUpdated: now), now: now)
        case .organization:
            guard case .organization(let sor)? = DerivedID.target(resourceType: "Organization", id: id),
                  let department = try Departments.find(db, sorCode: sor) else { return nil }
            return try stableMeta(db, FHIRResources.organization(department, lastUpdated: now), now: now)
        case .consent:
            return try consentResource(db, id: id, caller: caller, now: now)
        case .auditEvent:
            return try auditEventResource(db, id: id, caller: caller, now: now)
        case .questionnaire:
            return try context.catalogue.all.first { FHIRResources.questionnaireID($0) == id }
                .map { try stableMeta(db, FHIRResources.questionnaire($0, lastUpdated: now), now: now) }
        case .subscription:
            return try subscriptionResource(db, id: id, caller: caller)
        }
    }

    // MARK: - Building resources from stored records

    /// A resource versioned by its content (Patient, Organization, Questionnaire) with
    /// `meta.lastUpdated` the instant that version was first served (`ResourceVersions`), so
    /// it moves only when the content does.
    func stableMeta(_ db: Connection, _ resource: JSON, now: Date) throws -> JSON {
        guard let type = resource["resourceType"]?.stringValue, let id = resource["id"]?.stringValue,
              let version = resource["meta"]?["versionId"]?.stringValue else { return resource }
        let since = try ResourceVersions.since(db, resource: "\(type)/\(id)", version: version, now: now)
        return ResourceMeta(versionId: version, lastUpdated: since).applied(to: resource)
    }

    /// The score Observations of a stored response (none when its questionnaire version is no
    /// longer loaded).
    func observations(_ db: Connection, _ response: StoredResponse) throws -> [JSON] {
        guard let definition = context.catalogue.definition(reference: response.questionnaireReference),
              let patient = try Patients.find(db, id: response.patientID),
              let department = try Departments.find(db, id: patient.departmentID) else { return [] }
        let scores = try ScoreRecords.find(db, responseID: response.id)
        return FHIRResources.observations(response: response, scores: scores, definition: definition, patient: patient, department: department)
    }

    /// The automatic triage of a stored response as a ClinicalImpression, if it was triaged.
    func triageImpression(_ db: Connection, _ response: StoredResponse) throws -> JSON? {
        guard let triage = try TriageRecords.find(db, responseID: response.id),
              let patient = try Patients.find(db, id: response.patientID) else { return nil }
        let observationIDs = try observations(db, response).compactMap { $0["id"]?.stringValue }
        return FHIRResources.triageImpression(response: response, triage: triage, flags: try ScoreRecords.flags(db, responseID: response.id),
                                              observationIDs: observationIDs, patient: patient)
    }

    /// Every clinician decision about a patient as a ClinicalImpression (superseded ones marked
    /// `entered-in-error`), with when it was made; the assessor's name is left out for staff
    /// whose identity is protected.
    func assessments(_ db: Connection, _ patientID: PatientID) throws -> [(json: JSON, decidedAt: Date)] {
        guard let patient = try Patients.find(db, id: patientID) else { return [] }
        let decisions = try Decisions.forPatient(db, patientID).reversed()
        var names: [StaffAccountID: String] = [:]
        for id in Set(decisions.map(\.decidedBy)) {
            if let account = try StaffAccounts.find(db, id: id), !account.isProtected { names[id] = account.displayName }
        }
        var bySubject: [Decision.Subject: [Decision]] = [:]
        for decision in decisions { bySubject[decision.subject, default: []].append(decision) }
        var result: [(json: JSON, decidedAt: Date)] = []
        for (subject, group) in bySubject {
            let response: StoredResponse? = if case .response(let id) = subject { try Responses.find(db, id: id) } else { nil }
            let impressions = FHIRResources.assessmentImpressions(decisions: group, response: response, patient: patient, assessorNames: names)
            result += zip(impressions, group).map { ($0, $1.decidedAt) }
        }
        return result
    }
}
