import Foundation
import SQLite

/// The attempt history and state of queued deliveries, shared by the e-mail outbox and push
/// notifications: each attempt is a history row numbered after the ones before, and its
/// outcome moves the delivery to delivered, to a retry time, or to dead.
struct DeliveryLedger {
    /// The table of deliveries (`attempts`, `state`, `next_attempt_at`, `last_error`, `delivered_at`).
    let deliveries: String
    /// The table of attempts (`attempt`, `at`, `outcome`, `detail`).
    let attempts: String
    /// The attempts table's column naming the delivery.
    let deliveryColumn: String
    /// Further assignments when delivered (the outbox drops the message text, which holds the link).
    var whenDelivered = ""

    /// The outcome's word for the history, and its detail.
    static func describe(_ outcome: DeliveryOutcome) -> (word: String, detail: String?) {
        switch outcome {
        case .delivered: ("delivered", nil)
        case .transient(let detail, _): ("transient", detail)
        case .permanent(let detail): ("permanent", detail)
        }
    }

    /// Records one attempt and its outcome in the caller's transaction.
    func record(_ db: Connection, id: Int64, outcome: DeliveryOutcome, now: Date) throws {
        let at = Timestamp.string(now)
        let (word, detail) = Self.describe(outcome)
        try insertAttempt(db, id: id, at: at, outcome: word, detail: detail)
        switch outcome {
        case .delivered:
            try db.run("UPDATE \(deliveries) SET attempts = attempts + 1, state = 'delivered', delivered_at = ?\(whenDelivered) WHERE id = ?",
                       [.text(at), .integer(id)])
        case .transient(let detail, let retryAt?):
            try db.run("UPDATE \(deliveries) SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?",
                       [.text(Timestamp.string(retryAt)), .text(detail), .integer(id)])
        case .transient(let detail, nil), .permanent(let detail):
            try db.run("UPDATE \(deliveries) SET attempts = attempts + 1, state = 'dead', last_error = ? WHERE id = ?",
                       [.text(detail), .integer(id)])
        }
    }

    /// A history row numbered after the attempts made so far.
    func insertAttempt(_ db: Connection, id: Int64, at: String, outcome: String, detail: String?) throws {
        try db.run("""
            INSERT INTO \(attempts) (\(deliveryColumn), attempt, at, outcome, detail)
            VALUES (?1, (SELECT attempts + 1 FROM \(deliveries) WHERE id = ?1), ?2, ?3, ?4)
            """, [.integer(id), .text(at), .text(outcome), detail.map(SQLValue.text) ?? .null])
    }
}
