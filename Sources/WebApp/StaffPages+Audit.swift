import Foundation
import SQLite
import Sharing
import Storage

/// Who looked at or changed which patient's data, recorded in the audit log in the same
/// transaction as the read or change (a failed audit write fails the page: fail closed).
///
/// The patients' access log (MISSION.md: "citizens must see who looked at their data") is
/// read from these rows. The worklist shows many patients' names and masked CPR numbers and is
/// not recorded per patient; opening a patient is.
extension StaffPages {
    /// Appends one entry for the signed-in staff member about `patientID`; `what` names the page
    /// or record (`patient-overview`, `decision`, `enrolment`, `letter`).
    func audit(_ db: Connection, _ signedIn: SignedIn, patient patientID: PatientID, _ action: AuditEntry.Action,
               _ what: String, basis: LegalBasis, now: Date, detail: String? = nil) throws {
        let sor = try Departments.find(db, id: signedIn.account.departmentID)?.sorCode
        try AuditLog.append(db, AuditEntry(at: now, actorKind: .staff, actorID: String(signedIn.account.id.rawValue),
                                           actorRole: signedIn.account.role, organisationSOR: sor, patientID: patientID,
                                           action: action, what: what, legalBasis: basis.rawValue, outcome: "allowed",
                                           detail: detail))
    }
}
