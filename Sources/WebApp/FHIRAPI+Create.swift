import FHIR
import Foundation
import HTTPCore
import JSON
import Questionnaire
import Sharing
import SQLite
import Storage

extension FHIRAPI {
    /// How long the invitation made for an API submission is open: it is answered at once.
    static let apiInvitationLifetime = Duration.seconds(60)

    /// `POST /fhir/QuestionnaireResponse` (FHIR R4 http.html §3.1.0.8 "create"): the answers
    /// are read and validated against the questionnaire version the resource names, then
    /// stored, scored and triaged exactly like answers given on the web (`Responses.submit`,
    /// through a fresh invitation for that patient and questionnaire) in one transaction with
    /// its audit row. 201 with `Location`; 400/422 with nothing stored when invalid. Recording
    /// is narrower than reading (docs/access-policy.md): only a client of the patient's
    /// responsible department may submit; any other patient is refused like an unknown one (422).
    func create(_ request: HTTPRequest, typeName: String, caller: FHIRCaller) async throws -> HTTPResponse {
        let type = try FHIRCapabilities.check(typeName, .create)
        try requireScope(caller, type, "write")
        let submitted = try SubmittedResponse.parse(request.body)
        let definition = submitted.questionnaireVersion.map { context.catalogue.definition(url: submitted.questionnaireURL, version: $0) }
            ?? context.catalogue.latest(url: submitted.questionnaireURL)
        guard let definition else { throw submitted.unknownQuestionnaire }
        let answers = try submitted.answers(definition: definition)
        let now = context.clock()
        let resourceID = UUID().uuidString.lowercased()
        let unknownPatient = FHIRError.unprocessable([ResourceProblem(code: .notFound, message: "The subject is not a patient known here",
                                                                      expression: "QuestionnaireResponse.subject")])
        let stored: StoredResponse?
        do {
            stored = try await store(submitted, definition: definition, answers: answers, resourceID: resourceID, caller: caller, now: now)
        } catch let denied as Denied {
            try await auditDenial(caller, denied, route: request.path)
            throw unknownPatient
        }
        guard let stored else { throw unknownPatient }
        var response = answer(try FHIRResources.questionnaireResponse(stored), status: .created)
        response.headers.set("Location", "\(baseURL(request))/QuestionnaireResponse/\(resourceID)/_history/\(ResourceMeta.firstVersion)")
        response.headers.set("ETag", "W/\"\(ResourceMeta.firstVersion)\"")
        return response
    }

    /// Stores the answers for the patient the response names, with the audit row; nil when
    /// there is no such patient; throws `Denied` when the caller may not record for them.
    private func store(_ submitted: SubmittedResponse, definition: QuestionnaireDefinition, answers: ResponseAnswers, resourceID: String,
                       caller: FHIRCaller, now: Date) async throws -> StoredResponse? {
        try await context.database.write { db -> StoredResponse? in
            guard let patient = try Patients.find(db, cpr: submitted.cpr) else { return nil }
            let state = try SharingRecords.state(db, patient.id)
            let decision = AccessPolicy.decide(actor: .apiClient(caller.policyClient), patient: state, data: .results, now: now)
            let client = caller.policyClient
            guard decision.isAllowed, let basis = decision.legalBasis,
                  state.activeRelation(of: client.organisation, at: now)?.kind == .responsibleDepartment else {
                throw Denied(patientID: patient.id, data: .results, reason: decision.isAllowed ? "denied:not-responsible" : decision.auditCode)
            }
            let invitation = try Invitations.create(db, patientID: patient.id, questionnaireURL: definition.url,
                                                    questionnaireVersion: definition.version, now: now,
                                                    validFor: Self.apiInvitationLifetime).invitation
            guard case .stored(let id) = try Responses.submit(db, invitation: invitation, patient: patient, definition: definition,
                                                              answers: answers, resourceID: resourceID, now: now) else { return nil }
            try AuditLog.append(db, AuditEntry(at: now, actorKind: .apiClient, actorID: String(caller.stored.id.rawValue),
                                               actorRole: caller.policyClient.role.rawValue, organisationSOR: caller.department.sorCode,
                                               patientID: patient.id, action: .change, what: "QuestionnaireResponse/\(resourceID)",
                                               legalBasis: basis.rawValue, outcome: "created"))
            return try Responses.find(db, id: id)
        }
    }
}
