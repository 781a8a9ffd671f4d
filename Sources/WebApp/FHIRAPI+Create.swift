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
    /// How far a sender's clock may run ahead: an `authored` later than this after receipt is
    /// refused (answers cannot be given in the future).
    static let authoredClockSkew: TimeInterval = 300

    /// `POST /fhir/QuestionnaireResponse` (FHIR R4 http.html §3.1.0.8 "create"): the answers
    /// are read and validated against the questionnaire version the resource names, then
    /// stored, scored and triaged exactly like answers given on the web (`Responses.submit`,
    /// through a fresh invitation for that patient and questionnaire) in one transaction with
    /// its audit row. 201 with `Location`; 400/422 with nothing stored when invalid. Recording
    /// is narrower than reading (docs/access-policy.md): only a client of the patient's
    /// responsible department may submit; any other patient is refused like an unknown one (422).
    ///
    /// The sender's `authored` (when the patient answered) and `identifier` are kept, and the
    /// client's organisation is the `author`. `If-None-Exist: identifier=<system>|<value>`
    /// (R4 §3.1.0.8.1 conditional create) makes a resend safe: when the caller can already
    /// see one response with that identifier, nothing is stored and it is answered with 200;
    /// several give 412.
    func create(_ request: HTTPRequest, typeName: String, caller: FHIRCaller) async throws -> HTTPResponse {
        let type = try FHIRCapabilities.check(typeName, .create)
        try requireScope(caller, type, "write")
        let submitted = try SubmittedResponse.parse(request.body)
        let condition = try request.headers["If-None-Exist"].map { condition throws(FHIRError) in
            try SearchRequest.parse(resourceType: .questionnaireResponse,
                                    query: HTTPRequest(method: .get, target: "/fhir/QuestionnaireResponse?" + condition).queryItems())
        }
        let definition = submitted.questionnaireVersion.map { context.catalogue.definition(url: submitted.questionnaireURL, version: $0) }
            ?? context.catalogue.latest(url: submitted.questionnaireURL)
        guard let definition else { throw submitted.unknownQuestionnaire }
        let answers = try submitted.answers(definition: definition)
        let now = context.clock()
        if let answeredAt = submitted.answeredAt, answeredAt.timeIntervalSince(now) > Self.authoredClockSkew {
            throw FHIRError.unprocessable([ResourceProblem(code: .businessRule, message: "authored lies in the future",
                                                           expression: "QuestionnaireResponse.authored")])
        }
        let resourceID = UUID().uuidString.lowercased()
        let unknownPatient = FHIRError.unprocessable([ResourceProblem(code: .notFound, message: "The subject is not a patient known here",
                                                                      expression: "QuestionnaireResponse.subject")])
        let outcome: CreateOutcome
        do {
            outcome = try await context.database.write { db -> CreateOutcome in
                if let condition, let existing = try existingResponse(db, condition, caller: caller, now: now) { return .existing(existing) }
                return try store(db, submitted, definition: definition, answers: answers, resourceID: resourceID, caller: caller, now: now)
                    .map(CreateOutcome.created) ?? .unknownPatient
            }
        } catch let denied as Denied {
            try await auditDenial(caller, denied, route: request.path)
            throw unknownPatient
        }
        switch outcome {
        case .existing(let resource):
            var response = answer(resource)
            response.headers.set("Location", "\(baseURL(request))/QuestionnaireResponse/\(resource["id"]?.stringValue ?? "")")
            return response
        case .created(let stored):
            var response = answer(try FHIRResources.questionnaireResponse(stored), status: .created)
            response.headers.set("Location", "\(baseURL(request))/QuestionnaireResponse/\(resourceID)/_history/\(ResourceMeta.firstVersion)")
            response.headers.set("ETag", "W/\"\(ResourceMeta.firstVersion)\"")
            return response
        case .unknownPatient:
            throw unknownPatient
        }
    }

    /// What a create did.
    private enum CreateOutcome {
        /// `If-None-Exist` found this response; nothing was stored.
        case existing(JSON)
        case created(StoredResponse)
        /// The subject is no patient known here; nothing was stored.
        case unknownPatient
    }

    /// The one response an `If-None-Exist` search (e.g. `identifier=<system>|<value>`) finds
    /// among those the caller may see, audited as a read; nil when there is none;
    /// `multipleMatches` (412) when there are several. Run in the create's transaction, so
    /// two identical resends cannot both store.
    private func existingResponse(_ db: Connection, _ condition: SearchRequest, caller: FHIRCaller, now: Date) throws -> JSON? {
        let (rows, total, _) = try indexedPage(db, condition, caller: caller, now: now)
        guard total <= 1 else { throw FHIRError.multipleMatches("If-None-Exist matches \(total) responses; nothing was stored") }
        guard let row = rows.first, let patientID = row.patientID else { return nil }
        _ = try authorise(db, caller, patientID: patientID, data: .results, what: "QuestionnaireResponse/\(row.id) If-None-Exist", now: now)
        return row.resource
    }

    /// Stores the answers for the patient the response names, with the audit row; nil when
    /// there is no such patient; throws `Denied` when the caller may not record for them.
    private func store(_ db: Connection, _ submitted: SubmittedResponse, definition: QuestionnaireDefinition, answers: ResponseAnswers,
                       resourceID: String, caller: FHIRCaller, now: Date) throws -> StoredResponse? {
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
        let respondent = Respondent.sectorSystem(author: FHIRResources.organizationReference(caller.department),
                                                 answeredAt: submitted.answeredAt ?? now, identifier: submitted.identifier)
        guard case .stored(let id) = try Responses.submit(db, invitation: invitation, patient: patient, definition: definition,
                                                          answers: answers, resourceID: resourceID, respondent: respondent,
                                                          now: now) else { return nil }
        try AuditLog.append(db, AuditEntry(at: now, actorKind: .apiClient, actorID: String(caller.stored.id.rawValue),
                                           actorRole: caller.policyClient.role.rawValue, organisationSOR: caller.department.sorCode,
                                           patientID: patient.id, action: .change, what: "QuestionnaireResponse/\(resourceID)",
                                           legalBasis: basis.rawValue, outcome: "created"))
        return try Responses.find(db, id: id)
    }
}
