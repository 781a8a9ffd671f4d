import Foundation
import JSON
import SQLite

/// The transactional outbox: messages to patients are written in the same transaction as the
/// change that causes them (the round that was sent), and delivered afterwards by a worker that
/// records every attempt. A crash between commit and delivery loses nothing; a crash between
/// delivery and recording it can deliver a message twice, never zero times (at least once).
public enum Outbox {
    /// Queues a message, due at once.
    @discardableResult
    public static func enqueue(_ db: Connection, purpose: OutboxItem.Purpose, channel: OutboxItem.Channel, patientID: PatientID,
                               roundID: RoundID?, recipient: String?, message: OutboxMessage, now: Date) throws -> OutboxID {
        let json: JSON = ["subject": .string(message.subject), "text": .string(message.text), "html": .string(message.html),
                          "messageID": .string(message.messageID)]
        try db.run("""
            INSERT INTO outbox (created_at, purpose, channel, patient_id, round_id, recipient, message_json, state, next_attempt_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?1)
            """, [.text(Timestamp.string(now)), .text(purpose.rawValue), .text(channel.rawValue), .integer(patientID.rawValue),
                  roundID.map { .integer($0.rawValue) } ?? .null, recipient.map(SQLValue.text) ?? .null, .text(json.serialized())])
        return OutboxID(rawValue: db.lastInsertRowID)
    }

    /// Pending messages of `channel` whose next attempt is due at `now`, oldest first.
    public static func due(_ db: Connection, channel: OutboxItem.Channel, now: Date, limit: Int = 50) throws -> [OutboxItem] {
        try db.query("""
            SELECT * FROM outbox WHERE state = 'pending' AND channel = ? AND next_attempt_at <= ? ORDER BY id LIMIT ?
            """, [.text(channel.rawValue), .text(Timestamp.string(now)), .integer(Int64(limit))]).map(item)
    }

    /// Records one attempt and its outcome. A delivered message loses its text (it carries the
    /// link); a permanent failure, or a transient one with no retry left, makes it dead.
    public static func record(_ db: Connection, _ id: OutboxID, outcome: DeliveryOutcome, now: Date) throws {
        try ledger.record(db, id: id.rawValue, outcome: outcome, now: now)
    }

    /// The outbox's attempts; a delivered message drops its text, which holds the link.
    private static let ledger = DeliveryLedger(deliveries: "outbox", attempts: "outbox_attempts", deliveryColumn: "outbox_id",
                                               whenDelivered: ", message_json = NULL")

    /// Messages staff must look at: dead ones, and pending ones that have failed at least once.
    public static func problems(_ db: Connection) throws -> [OutboxItem] {
        try db.query("SELECT * FROM outbox WHERE state = 'dead' OR (state = 'pending' AND attempts > 0) ORDER BY id").map(item)
    }

    /// Letters waiting to be printed and posted, oldest first.
    public static func lettersToPrint(_ db: Connection) throws -> [OutboxItem] {
        try db.query("SELECT * FROM outbox WHERE state = 'pending' AND channel = 'letter' ORDER BY id").map(item)
    }

    /// The message with this id, if any.
    public static func find(_ db: Connection, id: OutboxID) throws -> OutboxItem? {
        try db.queryOne("SELECT * FROM outbox WHERE id = ?", [.integer(id.rawValue)]).map(item)
    }

    /// Every message to a patient, newest first (the patient overview's timeline).
    public static func forPatient(_ db: Connection, _ patientID: PatientID) throws -> [OutboxItem] {
        try db.query("SELECT * FROM outbox WHERE patient_id = ? ORDER BY id DESC", [.integer(patientID.rawValue)]).map(item)
    }

    /// Messages not yet delivered (for `/readyz` and `/metrics`).
    public static func backlog(_ db: Connection) throws -> Int {
        Int(try db.queryOne("SELECT count(*) AS n FROM outbox WHERE state = 'pending'")?.int("n") ?? 0)
    }

    private static func item(_ row: Row) throws -> OutboxItem {
        let table = "outbox"
        func parsed<T: RawRepresentable<String>>(_ column: String) throws -> T {
            guard let value = T(rawValue: try row.string(column)) else { throw StorageError.corruptValue(table: table, column: column) }
            return value
        }
        let message = try row.optionalString("message_json").map { text -> OutboxMessage in
            guard let json = try? JSON.parse(Array(text.utf8)), let subject = json["subject"]?.stringValue,
                  let body = json["text"]?.stringValue, let html = json["html"]?.stringValue,
                  let messageID = json["messageID"]?.stringValue else {
                throw StorageError.corruptValue(table: table, column: "message_json")
            }
            return OutboxMessage(subject: subject, text: body, html: html, messageID: messageID)
        }
        return OutboxItem(id: OutboxID(rawValue: try row.int("id")), createdAt: try timestamp(row, "created_at", table: table),
                          purpose: try parsed("purpose"), channel: try parsed("channel"),
                          patientID: PatientID(rawValue: try row.int("patient_id")),
                          roundID: try row.optionalInt("round_id").map(RoundID.init(rawValue:)),
                          recipient: try row.optionalString("recipient"), message: message, state: try parsed("state"),
                          attempts: Int(try row.int("attempts")), nextAttemptAt: try timestamp(row, "next_attempt_at", table: table),
                          deliveredAt: try optionalTimestamp(row, "delivered_at", table: table),
                          lastError: try row.optionalString("last_error"))
    }
}
