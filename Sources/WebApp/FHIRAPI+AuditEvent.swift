import FHIR
import Foundation
import JSON
import Sharing
import SQLite
import Storage

extension FHIRAPI {
    /// `AuditEvent/<id>`: one audit row, only when the caller's own organisation produced it
    /// about a patient whose results the caller may read; audited like any read.
    func auditEventResource(_ db: Connection, id: String, caller: FHIRCaller, now: Date) throws -> JSON? {
        guard case .auditEvent(let row)? = DerivedID.target(resourceType: "AuditEvent", id: id),
              let patientID = try AuditLog.find(db, id: row)?.entry.patientID,
              let event = try AuditLog.forPatient(db, patientID, producedBy: caller.department.sorCode).first(where: { $0.id == row }),
              let patient = try Patients.find(db, id: patientID) else { return nil }
        _ = try authorise(db, caller, patientID: patientID, data: .results, what: "AuditEvent/\(id)", now: now)
        return try auditEvent(db, event, patient: patient, caller: caller)
    }

    /// The AuditEvent search candidates: what the caller's organisation (its staff and its API
    /// clients) did with the named patient's data, as results data for the policy. The
    /// patient's full access log is theirs alone (`DataKind.accessLog`), so `patient` is
    /// required.
    func auditEventRows(_ db: Connection, _ search: SearchRequest, caller: FHIRCaller) throws -> [FHIRSearchRow] {
        guard let criterion = search.patient else {
            throw FHIRError.missingParameter(name: "patient", reason: "AuditEvents are listed for one patient at a time")
        }
        guard let patient = try patient(db, criterion) else { return [] }
        return try AuditLog.forPatient(db, patient.id, producedBy: caller.department.sorCode).map { event in
            let resource = try auditEvent(db, event, patient: patient, caller: caller)
            return FHIRSearchRow(sortKey: String(format: "%020lld", event.id), id: resource["id"]?.stringValue ?? "", patientID: patient.id,
                                 data: .results, resource: resource, instant: event.entry.at)
        }
    }

    /// One audit row as an AuditEvent: staff by name unless protected (or no longer known),
    /// then by the organisation only, as in the patient's own access log.
    private func auditEvent(_ db: Connection, _ event: StoredAuditEvent, patient: Patient, caller: FHIRCaller) throws -> JSON {
        let actor: FHIRResources.AuditActor
        if event.entry.actorKind == .apiClient {
            actor = .apiClient(id: event.entry.actorID ?? "")
        } else if let account = try event.entry.actorID.flatMap(Int64.init).flatMap({ try StaffAccounts.find(db, id: StaffAccountID(rawValue: $0)) }),
                  !account.isProtected {
            actor = .staff(displayName: account.displayName)
        } else {
            actor = .protectedStaff
        }
        return FHIRResources.auditEvent(event, patient: patient, organisation: caller.department, actor: actor)
    }
}
