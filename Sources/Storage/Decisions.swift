import Foundation
import FollowUp
import SQLite

/// Reads and writes `decisions`: append-only, a correction is a new row that points at the one
/// it corrects, so what was decided and when is never lost.
public enum Decisions {
    /// Records a decision and returns it.
    @discardableResult
    public static func record(_ db: Connection, patientID: PatientID, subject: Decision.Subject, kind: Decision.Kind,
                              visitDate: CalendarDay?, nextDueDate: CalendarDay?, note: String?, decidedBy: StaffAccountID,
                              corrects: DecisionID?, now: Date) throws -> Decision {
        try db.run("""
            INSERT INTO decisions (patient_id, subject_kind, subject_id, kind, visit_date, next_due_date, note, decided_by, decided_at, corrects)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.integer(patientID.rawValue), .text(subject.kind), .integer(subject.rowID), .text(kind.rawValue),
                  visitDate.map { .text($0.description) } ?? .null, nextDueDate.map { .text($0.description) } ?? .null,
                  note.map(SQLValue.text) ?? .null, .integer(decidedBy.rawValue), .text(Timestamp.string(now)),
                  corrects.map { .integer($0.rawValue) } ?? .null])
        return try find(db, id: DecisionID(rawValue: db.lastInsertRowID))!
    }

    /// The decision with this id, if any.
    public static func find(_ db: Connection, id: DecisionID) throws -> Decision? {
        try db.queryOne("SELECT * FROM decisions WHERE id = ?", [.integer(id.rawValue)]).map(decision)
    }

    /// Every decision on one finding, oldest first.
    public static func forSubject(_ db: Connection, _ subject: Decision.Subject) throws -> [Decision] {
        try db.query("SELECT * FROM decisions WHERE subject_kind = ? AND subject_id = ? ORDER BY id",
                     [.text(subject.kind), .integer(subject.rowID)]).map(decision)
    }

    /// Every decision about a patient, newest first.
    public static func forPatient(_ db: Connection, _ patientID: PatientID) throws -> [Decision] {
        try db.query("SELECT * FROM decisions WHERE patient_id = ? ORDER BY id DESC", [.integer(patientID.rawValue)]).map(decision)
    }

    private static func decision(_ row: Row) throws -> Decision {
        let table = "decisions"
        guard let subject = Decision.Subject(kind: try row.string("subject_kind"), rowID: try row.int("subject_id")) else {
            throw StorageError.corruptValue(table: table, column: "subject_kind")
        }
        guard let kind = Decision.Kind(rawValue: try row.string("kind")) else { throw StorageError.corruptValue(table: table, column: "kind") }
        return Decision(id: DecisionID(rawValue: try row.int("id")), patientID: PatientID(rawValue: try row.int("patient_id")),
                        subject: subject, kind: kind, visitDate: try optionalDay(row, "visit_date", table: table),
                        nextDueDate: try optionalDay(row, "next_due_date", table: table), note: try row.optionalString("note"),
                        decidedBy: StaffAccountID(rawValue: try row.int("decided_by")),
                        decidedAt: try timestamp(row, "decided_at", table: table),
                        corrects: try row.optionalInt("corrects").map(DecisionID.init(rawValue:)))
    }
}
