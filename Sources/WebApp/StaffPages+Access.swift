import Foundation
import Sharing
import SQLite
import Storage

/// Every staff read or change of a patient's data passes the one access policy
/// (`Sharing.AccessPolicy`): the patient's relations, blocks and consents are read fresh in the
/// same transaction, so a block made a moment ago counts on the next request.
///
/// A refusal looks exactly like an unknown patient (404) and is itself audited: the denial is
/// thrown as `Failure.denied` out of the data's transaction (which rolls back) and recorded by
/// `guarded` in a transaction of its own.
extension StaffPages {
    /// The patient and the legal basis the policy gave, or `Failure.denied`. `acting`: the
    /// request also records something (a decision, a plan change, a paper entry), which only the
    /// responsible department's health professionals may do.
    func accessiblePatient(_ db: Connection, _ rawID: String?, for signedIn: SignedIn, data: DataKind, acting: Bool = false,
                           now: Date) throws -> (Patient, LegalBasis) {
        let patient = try rawID.flatMap(Int64.init).flatMap { try Patients.find(db, id: PatientID(rawValue: $0)) }
        let state = try patient.map { try SharingRecords.state(db, $0.id) }
        let user = try policyUser(db, signedIn)
        var decision = AccessPolicy.decide(actor: .staff(user), patient: state, data: data, now: now)
        if !decision.isAllowed, let patient,
           let grant = try EmergencyAccesses.active(db, staffID: signedIn.account.id, patientID: patient.id, now: now) {
            decision = AccessPolicy.decide(actor: .staff(user), patient: state, data: data, purpose: .emergency(reason: grant.reason), now: now)
        }
        guard let patient, let state, let basis = decision.legalBasis, decision.isAllowed else {
            throw Failure.denied(patient: patient?.id, data: data, reason: decision.auditCode)
        }
        if acting && !Self.isResponsible(user, state, now: now) {
            throw Failure.denied(patient: patient.id, data: data, reason: "denied:not-responsible")
        }
        return (patient, basis)
    }

    /// Whether the signed-in staff member may record decisions and change the plan.
    func mayAct(_ db: Connection, on patient: PatientID, for signedIn: SignedIn, now: Date) throws -> Bool {
        Self.isResponsible(try policyUser(db, signedIn), try SharingRecords.state(db, patient), now: now)
    }

    /// A health professional of the patient's responsible department, with the relation active.
    static func isResponsible(_ user: Sharing.StaffUser, _ state: PatientSharingState, now: Date) -> Bool {
        user.role == .healthProfessional && state.activeRelation(of: user.organisation, at: now)?.kind == .responsibleDepartment
    }

    /// The signed-in account as the policy sees it: organisation (SOR code and kind) and role.
    func policyUser(_ db: Connection, _ signedIn: SignedIn) throws -> Sharing.StaffUser {
        let account = signedIn.account
        guard let organisation = try Departments.find(db, id: account.departmentID) else { throw Failure.notFound }
        return Sharing.StaffUser(id: String(account.id.rawValue),
                                 organisation: Organisation(sor: SORCode(organisation.sorCode), kind: organisation.kind),
                                 role: Self.role(account.role), isProtected: account.isProtected)
    }

    /// The stored role words (`byneed staff add --role`) as the policy's roles; an unknown word
    /// gets the narrowest role.
    static func role(_ word: String) -> Sharing.StaffUser.Role {
        switch word {
        case "health-professional": .healthProfessional
        case "municipal-health-staff": .municipalHealthStaff
        case "municipal-non-health-staff": .municipalNonHealthStaff
        case "administrator": .administrator
        default: .analyst
        }
    }

    /// Records a refused attempt in its own transaction (the refused one rolled back).
    func auditDenial(_ signedIn: SignedIn, patient: PatientID?, data: DataKind, reason: String, route: String) async throws {
        let now = context.clock()
        let account = signedIn.account
        try await context.database.write { db in
            let sor = try Departments.find(db, id: account.departmentID)?.sorCode
            try AuditLog.append(db, AuditEntry(at: now, actorKind: .staff, actorID: String(account.id.rawValue), actorRole: account.role,
                                               organisationSOR: sor, patientID: patient, action: .denied, what: "\(data)",
                                               outcome: reason, detail: route))
        }
    }
}
