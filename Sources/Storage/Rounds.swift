import Foundation
import FollowUp
import Questionnaire
import SQLite

/// Reads and writes `follow_up_rounds` and the scheduler's exactly-once ledger.
public enum Rounds {
    /// Claims an action's key in `scheduler_actions`; false when it was performed before (a
    /// repeated run, a run after a crash). Call it first, in the same transaction as the
    /// action's effects, so an action and its effects are stored together or not at all.
    public static func claim(_ db: Connection, _ key: FollowUpAction.Key, now: Date) throws -> Bool {
        try db.run("INSERT OR IGNORE INTO scheduler_actions (action_key, performed_at) VALUES (?, ?)",
                   [.text(key.description), .text(Timestamp.string(now))])
        return db.changes == 1
    }

    /// Records a round that fell due during downtime and was not sent.
    public static func skip(_ db: Connection, _ enrolmentID: EnrolmentID, number: Int, dueDate: CalendarDay, now: Date) throws {
        try db.run("INSERT INTO follow_up_rounds (enrolment_id, number, due_date, skipped_at) VALUES (?, ?, ?, ?)",
                   [.integer(enrolmentID.rawValue), .integer(Int64(number)), .text(dueDate.description), .text(Timestamp.string(now))])
    }

    /// Records a round as sent now; its links stop working at `expiresAt`.
    public static func send(_ db: Connection, _ enrolmentID: EnrolmentID, number: Int, dueDate: CalendarDay,
                            expiresAt: Date, now: Date) throws -> RoundID {
        try db.run("""
            INSERT INTO follow_up_rounds (enrolment_id, number, due_date, sent_at, expires_at) VALUES (?, ?, ?, ?, ?)
            """, [.integer(enrolmentID.rawValue), .integer(Int64(number)), .text(dueDate.description),
                  .text(Timestamp.string(now)), .text(Timestamp.string(expiresAt))])
        return RoundID(rawValue: db.lastInsertRowID)
    }

    /// Records that reminder `index` of a round went out.
    public static func remind(_ db: Connection, _ roundID: RoundID, index: Int) throws {
        try db.run("UPDATE follow_up_rounds SET reminders_sent = ? WHERE id = ?", [.integer(Int64(index)), .integer(roundID.rawValue)])
    }

    /// Closes an open round as non-response.
    public static func expire(_ db: Connection, _ roundID: RoundID, colour: TriageColour, level: Int, now: Date) throws {
        try db.run("""
            UPDATE follow_up_rounds SET expired_at = ?, colour = ?, escalation_level = ?
            WHERE id = ? AND answered_at IS NULL
            """, [.text(Timestamp.string(now)), .text(colour.rawValue), .integer(Int64(level)), .integer(roundID.rawValue)])
    }

    /// Closes a round as answered once every invitation of it has a response; the round's colour
    /// is the most severe of its responses. A late answer after expiry replaces the expiry.
    /// Returns the round's colour when it closed now.
    @discardableResult
    public static func closeIfAnswered(_ db: Connection, _ roundID: RoundID, now: Date) throws -> TriageColour? {
        let rows = try db.query("""
            SELECT response_triage.colour AS colour FROM invitations
            LEFT JOIN questionnaire_responses ON questionnaire_responses.invitation_id = invitations.id
            LEFT JOIN response_triage ON response_triage.response_id = questionnaire_responses.id
            WHERE invitations.round_id = ?
            """, [.integer(roundID.rawValue)])
        let colours = try rows.map { try $0.optionalString("colour").flatMap(TriageColour.init(rawValue:)) }
        guard !colours.isEmpty, colours.allSatisfy({ $0 != nil }), let colour = colours.compactMap({ $0 }).max() else { return nil }
        try db.run("""
            UPDATE follow_up_rounds SET answered_at = ?, colour = ?, expired_at = NULL, escalation_level = NULL WHERE id = ?
            """, [.text(Timestamp.string(now)), .text(colour.rawValue), .integer(roundID.rawValue)])
        return colour
    }

    /// The rounds of an enrolment in order.
    public static func all(_ db: Connection, _ enrolmentID: EnrolmentID) throws -> [StoredRound] {
        try db.query("SELECT * FROM follow_up_rounds WHERE enrolment_id = ? ORDER BY number", [.integer(enrolmentID.rawValue)])
            .map(round)
    }

    /// The round with this id, if any.
    public static func find(_ db: Connection, id: RoundID) throws -> StoredRound? {
        try db.queryOne("SELECT * FROM follow_up_rounds WHERE id = ?", [.integer(id.rawValue)]).map(round)
    }

    private static func round(_ row: Row) throws -> StoredRound {
        let table = "follow_up_rounds"
        guard let due = try optionalDay(row, "due_date", table: table) else { throw StorageError.corruptValue(table: table, column: "due_date") }
        let number = Int(try row.int("number"))
        let colour = try row.optionalString("colour").map { text in
            guard let colour = TriageColour(rawValue: text) else { throw StorageError.corruptValue(table: table, column: "colour") }
            return colour
        }
        let state: FollowUpRound.State
        if let skipped = try optionalTimestamp(row, "skipped_at", table: table) {
            state = .skipped(at: skipped)
        } else if let sent = try optionalTimestamp(row, "sent_at", table: table) {
            var outcome: FollowUpRound.Outcome?
            if let answered = try optionalTimestamp(row, "answered_at", table: table), let colour {
                outcome = .answered(at: answered, colour: colour)
            } else if let expired = try optionalTimestamp(row, "expired_at", table: table), let colour {
                outcome = .expired(at: expired, colour: colour, level: Int(try row.optionalInt("escalation_level") ?? 1))
            }
            state = .sent(at: sent, remindersSent: Int(try row.int("reminders_sent")), outcome: outcome)
        } else {
            throw StorageError.corruptValue(table: table, column: "sent_at")
        }
        return StoredRound(id: RoundID(rawValue: try row.int("id")), enrolmentID: EnrolmentID(rawValue: try row.int("enrolment_id")),
                           round: FollowUpRound(number: number, dueDate: due, state: state),
                           expiresAt: try optionalTimestamp(row, "expires_at", table: table))
    }
}
