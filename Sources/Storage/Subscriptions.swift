import Foundation
import JSON
import Questionnaire
import Security
import Sharing
import SQLite

/// Marker for `subscriptions` row ids.
public enum SubscriptionTable {}
/// The row id of a FHIR Subscription.
public typealias SubscriptionID = RowID<SubscriptionTable>
/// Marker for `subscription_deliveries` row ids.
public enum SubscriptionDeliveryTable {}
/// The row id of one notification to one subscriber (sent as `X-ByNeed-Delivery`).
public typealias SubscriptionDeliveryID = RowID<SubscriptionDeliveryTable>

/// Reads and writes `subscriptions`, `subscription_deliveries` and `subscription_attempts`: a
/// transactional outbox for rest-hook notifications, like `Outbox` for e-mail.
public enum Subscriptions {
    /// Stores an active subscription with a fresh 256-bit secret; the secret is returned once.
    public static func create(_ db: Connection, client: StoredAPIClient, colours: Set<TriageColour>, endpoint: String,
                              fullPayload: Bool, now: Date) throws -> (id: SubscriptionID, secret: String) {
        let secret = SecretToken.generate()
        try db.run("""
            INSERT INTO subscriptions (api_client_id, organisation_id, colours, endpoint, full_payload, secret, status, created_at)
            VALUES (?, ?, ?, ?, ?, ?, 'active', ?)
            """, [.integer(client.id.rawValue), .integer(client.organisationID.rawValue),
                  .text(colours.map(\.rawValue).sorted().joined(separator: ",")), .text(endpoint), .integer(fullPayload ? 1 : 0),
                  .blob(Array(secret.utf8)), .text(Timestamp.string(now))])
        return (SubscriptionID(rawValue: db.lastInsertRowID), secret)
    }

    /// Queues a notification, in the caller's transaction, for every active subscription of an
    /// active client whose organisation may see this patient's results now
    /// (`AccessPolicy.decide`, data `.results`) and whose colours include `colour`.
    public static func enqueueNotifications(_ db: Connection, patientID: PatientID, resourceID: String, resourceJSON: String,
                                            colour: TriageColour, now: Date) throws {
        let rows = try db.query("""
            SELECT s.*, d.sor_code, c.expires_at AS client_expires, c.revoked_at AS client_revoked FROM subscriptions s
            JOIN api_clients c ON c.id = s.api_client_id JOIN departments d ON d.id = s.organisation_id
            WHERE s.status = 'active'
            """)
        guard !rows.isEmpty else { return }
        let state = try SharingRecords.state(db, patientID)
        for row in rows {
            let subscription = try subscription(row)
            guard subscription.colours.contains(colour), try row.optionalString("client_revoked") == nil,
                  try row.optionalString("client_expires").flatMap(Timestamp.date).map({ now < $0 }) ?? true,
                  let department = try Departments.find(db, id: subscription.organisationID) else { continue }
            let client = APIClient(id: String(subscription.apiClientID.rawValue),
                                   organisation: Organisation(sor: SORCode(department.sorCode), kind: department.kind))
            guard AccessPolicy.decide(actor: .apiClient(client), patient: state, data: .results, now: now).isAllowed else { continue }
            try db.run("""
                INSERT INTO subscription_deliveries (subscription_id, response_resource_id, body, state, next_attempt_at, created_at)
                VALUES (?1, ?2, ?3, 'pending', ?4, ?4)
                """, [.integer(subscription.id.rawValue), .text(resourceID),
                      .text(notificationBody(resourceID: resourceID, resourceJSON: subscription.fullPayload ? resourceJSON : nil)),
                      .text(Timestamp.string(now))])
        }
    }

    /// The notification: a FHIR `history` Bundle with one entry, its `fullUrl` naming the
    /// response, and the resource itself only for `application/fhir+json` subscriptions.
    static func notificationBody(resourceID: String, resourceJSON: String?) -> String {
        var entry = JSONObject([("fullUrl", .string("QuestionnaireResponse/\(resourceID)"))])
        if let resourceJSON, let resource = try? JSON.parse(Array(resourceJSON.utf8)) { entry["resource"] = resource }
        let bundle: JSON = ["resourceType": "Bundle", "type": "history", "entry": [.object(entry)]]
        return bundle.serialized()
    }

    /// Pending deliveries due at `now`, oldest first.
    public static func due(_ db: Connection, now: Date, limit: Int = 50) throws -> [SubscriptionNotification] {
        try db.query("""
            SELECT d.*, s.endpoint, s.secret FROM subscription_deliveries d JOIN subscriptions s ON s.id = d.subscription_id
            WHERE d.state = 'pending' AND d.next_attempt_at <= ? ORDER BY d.id LIMIT ?
            """, [.text(Timestamp.string(now)), .integer(Int64(limit))]).map(delivery)
    }

    /// Dead deliveries and pending ones that have failed at least once (`byneed client deliveries`).
    public static func problems(_ db: Connection) throws -> [SubscriptionNotification] {
        try db.query("""
            SELECT d.*, s.endpoint, s.secret FROM subscription_deliveries d JOIN subscriptions s ON s.id = d.subscription_id
            WHERE d.state = 'dead' OR (d.state = 'pending' AND d.attempts > 0) ORDER BY d.id
            """).map(delivery)
    }

    /// Records one attempt (the history) and its outcome, like `Outbox.record`.
    public static func record(_ db: Connection, _ id: SubscriptionDeliveryID, outcome: DeliveryOutcome, now: Date) throws {
        let at = Timestamp.string(now)
        let (word, detail): (String, String?) = switch outcome {
        case .delivered: ("delivered", nil)
        case .transient(let detail, _): ("transient", detail)
        case .permanent(let detail): ("permanent", detail)
        }
        try db.run("""
            INSERT INTO subscription_attempts (delivery_id, attempt, at, outcome, detail)
            VALUES (?1, (SELECT attempts + 1 FROM subscription_deliveries WHERE id = ?1), ?2, ?3, ?4)
            """, [.integer(id.rawValue), .text(at), .text(word), detail.map(SQLValue.text) ?? .null])
        switch outcome {
        case .delivered:
            try db.run("UPDATE subscription_deliveries SET attempts = attempts + 1, state = 'delivered', delivered_at = ? WHERE id = ?",
                       [.text(at), .integer(id.rawValue)])
        case .transient(let detail, let retryAt?):
            try db.run("UPDATE subscription_deliveries SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?",
                       [.text(Timestamp.string(retryAt)), .text(detail), .integer(id.rawValue)])
        case .transient(let detail, nil), .permanent(let detail):
            try db.run("UPDATE subscription_deliveries SET attempts = attempts + 1, state = 'dead', last_error = ? WHERE id = ?",
                       [.text(detail), .integer(id.rawValue)])
        }
    }

    private static func subscription(_ row: Row) throws -> StoredSubscription {
        StoredSubscription(id: SubscriptionID(rawValue: try row.int("id")), apiClientID: APIClientID(rawValue: try row.int("api_client_id")),
                           organisationID: DepartmentID(rawValue: try row.int("organisation_id")),
                           colours: Set(try row.string("colours").split(separator: ",").compactMap { TriageColour(rawValue: String($0)) }),
                           endpoint: try row.string("endpoint"), fullPayload: try row.int("full_payload") != 0)
    }

    private static func delivery(_ row: Row) throws -> SubscriptionNotification {
        SubscriptionNotification(id: SubscriptionDeliveryID(rawValue: try row.int("id")),
                             subscriptionID: SubscriptionID(rawValue: try row.int("subscription_id")),
                             endpoint: try row.string("endpoint"), secret: try row.blob("secret"), body: try row.string("body"),
                             state: try row.string("state"), attempts: Int(try row.int("attempts")),
                             lastError: try row.optionalString("last_error"))
    }
}
