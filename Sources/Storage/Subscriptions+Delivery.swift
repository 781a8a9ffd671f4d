import Foundation
import SQLite

extension Subscriptions {
    // MARK: - Due notifications

    /// Pending deliveries due at `now`, taken in turns: every subscription's oldest, then every
    /// subscription's second oldest, and so on (each subscription's in order), so one
    /// subscription's backlog cannot fill the batch and crowd the others out of a pass.
    public static func due(_ db: Connection, now: Date, limit: Int = 50) throws -> [SubscriptionNotification] {
        try db.query("""
            SELECT * FROM (
                SELECT d.*, s.endpoint, s.secret, s.full_payload,
                       ROW_NUMBER() OVER (PARTITION BY d.subscription_id ORDER BY d.id) AS turn
                FROM subscription_deliveries d JOIN subscriptions s ON s.id = d.subscription_id
                WHERE d.state = 'pending' AND d.next_attempt_at <= ?
            ) ORDER BY turn, id LIMIT ?
            """, [.text(Timestamp.string(now)), .integer(Int64(limit))]).map(delivery)
    }

    /// Dead deliveries and pending ones that have failed at least once (`byneed client deliveries`).
    public static func problems(_ db: Connection) throws -> [SubscriptionNotification] {
        try db.query("""
            SELECT d.*, s.endpoint, s.secret, s.full_payload FROM subscription_deliveries d JOIN subscriptions s ON s.id = d.subscription_id
            WHERE d.state = 'dead' OR (d.state = 'pending' AND d.attempts > 0) ORDER BY d.id
            """).map(delivery)
    }

    /// Every delivery of a subscription, oldest first (the delivery history).
    public static func deliveries(_ db: Connection, subscriptionID: SubscriptionID) throws -> [SubscriptionNotification] {
        try db.query("""
            SELECT d.*, s.endpoint, s.secret, s.full_payload FROM subscription_deliveries d JOIN subscriptions s ON s.id = d.subscription_id
            WHERE d.subscription_id = ? ORDER BY d.id
            """, [.integer(subscriptionID.rawValue)]).map(delivery)
    }

    // MARK: - Sending

    /// Whether `notification` may be sent now, decided again when it is due: its subscription
    /// is still active, its client neither revoked nor expired, the response still exists, and
    /// the access policy still lets the organisation see the patient's results (a block or a
    /// lapsed consent since it was queued withdraws it). When it may, the audit row of the
    /// disclosure (actor the API client, `QuestionnaireResponse/<id> notification`, the legal
    /// basis) is returned for `record` to append with the outcome.
    public static func clearance(_ db: Connection, _ notification: SubscriptionNotification, now: Date) throws -> NotificationClearance {
        guard let row = try db.queryOne("SELECT patient_id FROM questionnaire_responses WHERE resource_id = ?",
                                        [.text(notification.responseResourceID)]) else {
            return .withdraw(reason: "the response no longer exists")
        }
        let patientID = PatientID(rawValue: try row.int("patient_id"))
        let state = try SharingRecords.state(db, patientID)
        switch try access(db, subscriptionID: notification.subscriptionID, state: state, colour: nil, now: now) {
        case .refused(let reason):
            return .withdraw(reason: reason)
        case .allowed(let basis, let client, let sor):
            return .send(disclosure: AuditEntry(at: now, actorKind: .apiClient, actorID: client.id, actorRole: client.role.rawValue,
                                                organisationSOR: sor, patientID: patientID, action: .read,
                                                what: "QuestionnaireResponse/\(notification.responseResourceID) notification",
                                                legalBasis: basis.rawValue, outcome: "sent",
                                                detail: "Subscription/\(notification.subscriptionID.rawValue) delivery \(notification.id.rawValue)"))
        }
    }

    /// Records one attempt (the history) and its outcome (`DeliveryLedger`, as the outbox does), and the
    /// disclosure's audit row with the outcome, in the caller's transaction: the body left
    /// ByNeed whether or not the subscriber then answered 2xx.
    public static func record(_ db: Connection, _ id: SubscriptionDeliveryID, outcome: DeliveryOutcome, disclosure: AuditEntry,
                              now: Date) throws {
        try ledger.record(db, id: id.rawValue, outcome: outcome, now: now)
        let (word, detail) = DeliveryLedger.describe(outcome)
        var entry = disclosure
        entry.at = now
        entry.outcome = word == "delivered" ? "delivered" : "sent:\(word)"
        entry.detail = [disclosure.detail, detail].compactMap { $0 }.joined(separator: ": ")
        try AuditLog.append(db, entry)
    }

    /// Records that a due notification was not sent because `clearance` withdrew it: an
    /// attempt row with outcome `withdrawn` and the delivery's state `withdrawn` (final).
    public static func withdraw(_ db: Connection, _ id: SubscriptionDeliveryID, reason: String, now: Date) throws {
        try ledger.insertAttempt(db, id: id.rawValue, at: Timestamp.string(now), outcome: "withdrawn", detail: reason)
        try db.run("UPDATE subscription_deliveries SET state = 'withdrawn', last_error = ? WHERE id = ?",
                   [.text(reason), .integer(id.rawValue)])
    }

    /// The notifications' attempts, kept like the e-mail outbox's.
    private static let ledger = DeliveryLedger(deliveries: "subscription_deliveries", attempts: "subscription_attempts",
                                               deliveryColumn: "delivery_id")

    private static func delivery(_ row: Row) throws -> SubscriptionNotification {
        SubscriptionNotification(id: SubscriptionDeliveryID(rawValue: try row.int("id")),
                                 subscriptionID: SubscriptionID(rawValue: try row.int("subscription_id")),
                                 responseResourceID: try row.string("response_resource_id"), endpoint: try row.string("endpoint"),
                                 fullPayload: try row.int("full_payload") != 0, secret: try row.blob("secret"), body: try row.string("body"),
                                 state: try row.string("state"), attempts: Int(try row.int("attempts")),
                                 lastError: try row.optionalString("last_error"))
    }
}
