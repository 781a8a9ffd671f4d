import Foundation
import HTTPCore
import Sharing
import SQLite
import Storage
import FHIR

/// The authenticated API client of one request, as stored and as the access policy sees it.
struct FHIRCaller: Sendable {
    let stored: StoredAPIClient
    let department: Department

    /// The client as `Sharing.AccessPolicy` sees it.
    var policyClient: APIClient {
        APIClient(id: String(stored.id.rawValue), organisation: Organisation(sor: SORCode(department.sorCode), kind: department.kind))
    }

    /// Whether a SMART-style system scope (`system/<Type>.<read|write>`, `*` wildcards) allows
    /// `access` on `type`.
    func allows(_ type: ResourceType, _ access: String) -> Bool {
        stored.scopes.contains { APIScope($0)?.allows(resourceType: type.rawValue, access: access) == true }
    }
}

extension FHIRAPI {
    /// The caller named by `Authorization: Bearer <token>` (RFC 6750 §2.1), active at `now` and
    /// within its rate limit; `authenticationRequired` (401) or `rateLimited` (429) otherwise.
    func authenticate(_ request: HTTPRequest, now: Date) throws(FHIRError) -> FHIRCaller {
        guard let header = request.headers["Authorization"], header.count > 7,
              header.prefix(7).lowercased() == "bearer " else { throw .authenticationRequired }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        let found: (StoredAPIClient, Department)?
        do {
            found = try context.database.read { db in
                guard let client = try APIClients.find(db, token: token), client.isActive(at: now),
                      let department = try Departments.find(db, id: client.organisationID) else { return nil }
                return (client, department)
            }
        } catch {
            throw .internalError("API client lookup: \(error)")
        }
        guard let (client, department) = found else { throw .authenticationRequired }
        if let wait = limiter.take(client: client.id.rawValue, now: now) { throw .rateLimited(retryAfterSeconds: wait) }
        return FHIRCaller(stored: client, department: department)
    }

    /// Throws `forbidden` (403) unless the caller holds a scope for `access` on `type`.
    func requireScope(_ caller: FHIRCaller, _ type: ResourceType, _ access: String) throws(FHIRError) {
        guard caller.allows(type, access) else {
            throw .forbidden(reason: "The client has no scope system/\(type.rawValue).\(access)")
        }
    }

    /// The legal basis for the caller to read `data` about `patientID` now, audited in `db`'s
    /// transaction; throws `Denied` when the policy refuses (the caller answers 404).
    func authorise(_ db: Connection, _ caller: FHIRCaller, patientID: PatientID, data: DataKind, what: String,
                   now: Date) throws -> LegalBasis {
        let state = try SharingRecords.state(db, patientID)
        let decision = AccessPolicy.decide(actor: .apiClient(caller.policyClient), patient: state, data: data, now: now)
        guard decision.isAllowed, let basis = decision.legalBasis else {
            throw Denied(patientID: patientID, data: data, reason: decision.auditCode)
        }
        try AuditLog.append(db, AuditEntry(at: now, actorKind: .apiClient, actorID: String(caller.stored.id.rawValue), actorRole: caller.policyClient.role.rawValue,
                                           organisationSOR: caller.department.sorCode, patientID: patientID, action: .read,
                                           what: what, legalBasis: basis.rawValue, outcome: "allowed"))
        return basis
    }

    /// Whether the policy lets the caller see `data` about `patientID` (no audit: for filtering
    /// search candidates before counting).
    func mayRead(_ db: Connection, _ caller: FHIRCaller, patientID: PatientID, data: DataKind, now: Date) throws -> Bool {
        AccessPolicy.decide(actor: .apiClient(caller.policyClient), patient: try SharingRecords.state(db, patientID),
                            data: data, now: now).isAllowed
    }

    /// Records a refused read in a transaction of its own (the refused one rolled back).
    func auditDenial(_ caller: FHIRCaller, _ denied: Denied, route: String) async throws {
        let now = context.clock()
        try await context.database.write { db in
            try AuditLog.append(db, AuditEntry(at: now, actorKind: .apiClient, actorID: String(caller.stored.id.rawValue),
                                               actorRole: caller.policyClient.role.rawValue, organisationSOR: caller.department.sorCode,
                                               patientID: denied.patientID, action: .denied, what: "\(denied.data)",
                                               outcome: denied.reason, detail: route))
        }
    }
}

/// A refusal by the access policy, thrown out of the data's transaction.
struct Denied: Error {
    let patientID: PatientID
    let data: DataKind
    let reason: String
}
