import Foundation
import FollowUp
import Sharing
import SQLite

/// Reads and writes `enrolments`, their pauses and their history (`enrolment_events`).
///
/// Every change is an event with who and when; the pause table is what the scheduler reads.
public enum Enrolments {
    /// What a staff member can do to a running enrolment.
    public enum Change: Sendable, Hashable {
        case pause, resume, end
        case changePlan(id: String, version: String)
    }

    /// Enrols a patient in a plan from `startDate` (the due date of round 1). Fails with
    /// `StorageError.alreadyEnrolled` when the patient already runs in that plan.
    public static func enrol(_ db: Connection, patientID: PatientID, departmentID: DepartmentID, planID: String,
                             planVersion: String, startDate: CalendarDay, actor: String, now: Date) throws -> StoredEnrolment {
        if try db.queryOne("SELECT 1 FROM enrolments WHERE patient_id = ? AND plan_id = ? AND ended_at IS NULL",
                           [.integer(patientID.rawValue), .text(planID)]) != nil {
            throw StorageError.alreadyEnrolled(planID: planID)
        }
        try db.run("""
            INSERT INTO enrolments (patient_id, department_id, plan_id, plan_version, start_date, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """, [.integer(patientID.rawValue), .integer(departmentID.rawValue), .text(planID), .text(planVersion),
                  .text(startDate.description), .text(Timestamp.string(now))])
        let id = EnrolmentID(rawValue: db.lastInsertRowID)
        try record(db, id, kind: "enrolled", actor: actor, now: now, detail: "\(planID)|\(planVersion) from \(startDate)")
        try relate(db, patientID: patientID, departmentID: departmentID, actor: actor, now: now)
        return try find(db, id: id)!
    }

    /// The treatment relations an enrolment creates: the responsible department, the patient's GP
    /// clinic (by its SOR code, when ByNeed knows it), and the municipal health units serving the
    /// patient's municipality. They decide who else may read the results (Sharing.AccessPolicy).
    /// A GP clinic or municipal unit the patient's details no longer name (the patient changed
    /// GP or moved) loses its relation now, so it stops seeing the patient.
    private static func relate(_ db: Connection, patientID: PatientID, departmentID: DepartmentID, actor: String, now: Date) throws {
        guard let patient = try Patients.find(db, id: patientID), let department = try Departments.find(db, id: departmentID) else { return }
        try SharingRecords.relate(db, patientID: patientID, organisation: department, kind: .responsibleDepartment, from: now, by: actor)
        var named: [TreatmentRelation.Kind: [Department]] = [:]
        if let sor = patient.contact.gpSORCode, let clinic = try Departments.find(db, sorCode: sor), clinic.kind == .gpClinic {
            named[.generalPractitioner] = [clinic]
        }
        if let municipality = patient.contact.municipalityCode {
            named[.municipalHealthUnit] = try Departments.serving(db, municipalityCode: municipality, kind: .municipalHealthUnit)
        }
        for kind in [TreatmentRelation.Kind.generalPractitioner, .municipalHealthUnit] {
            let organisations = named[kind] ?? []
            for relation in try SharingRecords.relations(db, patientID) where relation.relation.kind == kind && relation.relation.end == nil
                && !organisations.contains(where: { $0.id == relation.organisation.id }) {
                try SharingRecords.endRelations(db, patientID: patientID, organisationID: relation.organisation.id, kind: kind, at: now)
            }
            for organisation in organisations {
                try SharingRecords.relate(db, patientID: patientID, organisation: organisation, kind: kind, from: now, by: actor)
            }
        }
    }

    /// Applies a change; a change that does not fit the current state (resume when not paused)
    /// throws `StorageError.invalidChange` and stores nothing.
    public static func change(_ db: Connection, _ id: EnrolmentID, _ change: Change, actor: String, now: Date) throws {
        guard let enrolment = try find(db, id: id) else { throw StorageError.notFound("enrolment") }
        let status = enrolment.schedule.status(at: now)
        let at = Timestamp.string(now)
        switch (change, status) {
        case (.pause, .active):
            try db.run("INSERT INTO enrolment_pauses (enrolment_id, paused_at) VALUES (?, ?)", [.integer(id.rawValue), .text(at)])
            try record(db, id, kind: "paused", actor: actor, now: now)
        case (.resume, .paused):
            try db.run("UPDATE enrolment_pauses SET resumed_at = ? WHERE enrolment_id = ? AND resumed_at IS NULL",
                       [.text(at), .integer(id.rawValue)])
            try record(db, id, kind: "resumed", actor: actor, now: now)
        case (.end, .active), (.end, .paused):
            try db.run("UPDATE enrolments SET ended_at = ? WHERE id = ?", [.text(at), .integer(id.rawValue)])
            try db.run("UPDATE enrolment_pauses SET resumed_at = ? WHERE enrolment_id = ? AND resumed_at IS NULL",
                       [.text(at), .integer(id.rawValue)])
            try record(db, id, kind: "ended", actor: actor, now: now)
            let stillFollowed = try forPatient(db, enrolment.patientID)
                .contains { $0.departmentID == enrolment.departmentID && $0.schedule.endedAt == nil }
            if !stillFollowed {
                try SharingRecords.endRelations(db, patientID: enrolment.patientID, organisationID: enrolment.departmentID,
                                                kind: .responsibleDepartment, at: now)
            }
        case (.changePlan(let planID, let version), .active), (.changePlan(let planID, let version), .paused):
            try db.run("UPDATE enrolments SET plan_id = ?, plan_version = ? WHERE id = ?",
                       [.text(planID), .text(version), .integer(id.rawValue)])
            try record(db, id, kind: "plan-changed", actor: actor, now: now,
                       detail: "\(enrolment.planReference) → \(planID)|\(version)")
        default:
            throw StorageError.invalidChange("\(change) is not possible while the enrolment is \(status)")
        }
    }

    /// The enrolment with this id, if any.
    public static func find(_ db: Connection, id: EnrolmentID) throws -> StoredEnrolment? {
        try db.queryOne("SELECT * FROM enrolments WHERE id = ?", [.integer(id.rawValue)]).map { try enrolment(db, $0) }
    }

    /// Every enrolment that has not ended, oldest first: what the scheduler works through.
    public static func running(_ db: Connection) throws -> [StoredEnrolment] {
        try db.query("SELECT * FROM enrolments WHERE ended_at IS NULL ORDER BY id").map { try enrolment(db, $0) }
    }

    /// A patient's enrolments, newest first, ended ones included.
    public static func forPatient(_ db: Connection, _ patientID: PatientID) throws -> [StoredEnrolment] {
        try db.query("SELECT * FROM enrolments WHERE patient_id = ? ORDER BY id DESC", [.integer(patientID.rawValue)])
            .map { try enrolment(db, $0) }
    }

    /// The history of an enrolment: (kind, when, who, detail), oldest first.
    public static func events(_ db: Connection, _ id: EnrolmentID) throws -> [(kind: String, at: Date, actor: String, detail: String?)] {
        try db.query("SELECT * FROM enrolment_events WHERE enrolment_id = ? ORDER BY id", [.integer(id.rawValue)]).map { row in
            (try row.string("kind"), try timestamp(row, "at", table: "enrolment_events"), try row.string("actor"),
             try row.optionalString("detail"))
        }
    }

    private static func record(_ db: Connection, _ id: EnrolmentID, kind: String, actor: String, now: Date,
                               detail: String? = nil) throws {
        try db.run("INSERT INTO enrolment_events (enrolment_id, kind, at, actor, detail) VALUES (?, ?, ?, ?, ?)",
                   [.integer(id.rawValue), .text(kind), .text(Timestamp.string(now)), .text(actor), detail.map(SQLValue.text) ?? .null])
    }

    /// The latest next-questionnaire date a clinician set when deciding on one of this
    /// enrolment's rounds (directly, or on a response to it), unless that decision was corrected.
    private static func nextDueOverride(_ db: Connection, _ id: EnrolmentID) throws -> Enrolment.NextDueOverride? {
        guard let row = try db.queryOne("""
            SELECT decisions.next_due_date AS due, follow_up_rounds.number AS number
            FROM decisions JOIN follow_up_rounds ON follow_up_rounds.id = CASE decisions.subject_kind
                WHEN 'round' THEN decisions.subject_id
                WHEN 'response' THEN (SELECT invitations.round_id FROM questionnaire_responses
                                      JOIN invitations ON invitations.id = questionnaire_responses.invitation_id
                                      WHERE questionnaire_responses.id = decisions.subject_id)
            END
            WHERE follow_up_rounds.enrolment_id = ? AND decisions.next_due_date IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM decisions AS later WHERE later.corrects = decisions.id)
            ORDER BY decisions.id DESC LIMIT 1
            """, [.integer(id.rawValue)]),
            let due = try optionalDay(row, "due", table: "decisions") else { return nil }
        return Enrolment.NextDueOverride(afterRound: Int(try row.int("number")), dueDate: due)
    }

    private static func enrolment(_ db: Connection, _ row: Row) throws -> StoredEnrolment {
        let id = EnrolmentID(rawValue: try row.int("id"))
        let pauses = try db.query("SELECT * FROM enrolment_pauses WHERE enrolment_id = ? ORDER BY paused_at",
                                  [.integer(id.rawValue)]).map { pause in
            Enrolment.Pause(from: try timestamp(pause, "paused_at", table: "enrolment_pauses"),
                            until: try optionalTimestamp(pause, "resumed_at", table: "enrolment_pauses"))
        }
        guard let start = CalendarDay(iso: try row.string("start_date")) else {
            throw StorageError.corruptValue(table: "enrolments", column: "start_date")
        }
        let schedule = Enrolment(id: StoredEnrolment.scheduleID(id), startDate: start, pauses: pauses,
                                 endedAt: try optionalTimestamp(row, "ended_at", table: "enrolments"),
                                 nextDueOverride: try nextDueOverride(db, id))
        return StoredEnrolment(id: id, patientID: PatientID(rawValue: try row.int("patient_id")),
                               departmentID: DepartmentID(rawValue: try row.int("department_id")),
                               planID: try row.string("plan_id"), planVersion: try row.string("plan_version"),
                               schedule: schedule, createdAt: try timestamp(row, "created_at", table: "enrolments"))
    }
}
