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
    // MARK: - Lifecycle

    /// Stores an active subscription with a fresh 256-bit secret; the secret is returned once.
    public static func create(_ db: Connection, client: StoredAPIClient, colours: Set<TriageColour>, endpoint: String,
                              fullPayload: Bool, reason: String = "New results", now: Date) throws -> (id: SubscriptionID, secret: String) {
        let secret = SecretToken.generate()
        try db.run("""
            INSERT INTO subscriptions (api_client_id, organisation_id, colours, endpoint, full_payload, secret, status, created_at, reason)
            VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?)
            """, [.integer(client.id.rawValue), .integer(client.organisationID.rawValue),
                  .text(colours.map(\.rawValue).sorted().joined(separator: ",")), .text(endpoint), .integer(fullPayload ? 1 : 0),
                  .blob(Array(secret.utf8)), .text(Timestamp.string(now)), .text(reason)])
        return (SubscriptionID(rawValue: db.lastInsertRowID), secret)
    }

    /// The subscription `id` of `organisationID`; nil when there is none or it is another
    /// organisation's (a client never learns that another organisation's subscription exists).
    public static func find(_ db: Connection, id: SubscriptionID, organisationID: DepartmentID) throws -> StoredSubscription? {
        try db.queryOne("SELECT * FROM subscriptions WHERE id = ? AND organisation_id = ?",
                        [.integer(id.rawValue), .integer(organisationID.rawValue)]).map(subscription)
    }

    /// Every subscription of `organisationID`, active and off, oldest first.
    public static func all(_ db: Connection, organisationID: DepartmentID) throws -> [StoredSubscription] {
        try db.query("SELECT * FROM subscriptions WHERE organisation_id = ? ORDER BY id", [.integer(organisationID.rawValue)])
            .map(subscription)
    }

    /// Turns an active subscription off: no more notifications are queued for it, and its
    /// pending ones are marked `stopped` (kept, with their history, never sent). Returns how
    /// many were stopped; nil when it was already off (nothing changes).
    public static func turnOff(_ db: Connection, _ id: SubscriptionID, now: Date) throws -> Int? {
        let at = Timestamp.string(now)
        guard try db.run("UPDATE subscriptions SET status = 'off', updated_at = ? WHERE id = ? AND status = 'active'",
                         [.text(at), .integer(id.rawValue)]) == 1 else { return nil }
        return try db.run("""
            UPDATE subscription_deliveries SET state = 'stopped', last_error = 'the subscription was turned off at \(at)'
            WHERE subscription_id = ? AND state = 'pending'
            """, [.integer(id.rawValue)])
    }

    // MARK: - Queueing

    /// Queues a notification, in the caller's transaction, for every active subscription of an
    /// active client whose organisation may see this patient's results now
    /// (`AccessPolicy.decide`, data `.results`) and whose colours include `colour`. The stored
    /// body is the id-only Bundle; a full payload is built when it is sent.
    public static func enqueueNotifications(_ db: Connection, patientID: PatientID, resourceID: String, colour: TriageColour,
                                            now: Date) throws {
        let rows = try db.query("SELECT id FROM subscriptions WHERE status = 'active'")
        guard !rows.isEmpty else { return }
        let state = try SharingRecords.state(db, patientID)
        for row in rows {
            let id = SubscriptionID(rawValue: try row.int("id"))
            guard case .allowed = try access(db, subscriptionID: id, state: state, colour: colour, now: now) else { continue }
            try db.run("""
                INSERT INTO subscription_deliveries (subscription_id, response_resource_id, body, state, next_attempt_at, created_at)
                VALUES (?1, ?2, ?3, 'pending', ?4, ?4)
                """, [.integer(id.rawValue), .text(resourceID), .text(notificationBody(resourceID: resourceID, resource: nil)),
                      .text(Timestamp.string(now))])
        }
    }

    /// The notification: a FHIR `history` Bundle with one entry, its `fullUrl` naming the
    /// response, `resource` (the full QuestionnaireResponse) when given, and the `request` and
    /// `response` a history entry must carry (FHIR R4 bundle.html, invariants bdl-3 and bdl-4):
    /// the response was created.
    public static func notificationBody(resourceID: String, resource: JSON?) -> String {
        var entry = JSONObject([("fullUrl", .string("QuestionnaireResponse/\(resourceID)"))])
        entry["resource"] = resource
        entry["request"] = ["method": "POST", "url": "QuestionnaireResponse"]
        entry["response"] = ["status": "201 Created"]
        let bundle: JSON = ["resourceType": "Bundle", "type": "history", "entry": [.object(entry)]]
        return bundle.serialized()
    }

    // MARK: - Access

    /// What the access check of one subscription against one patient decided.
    enum Access {
        /// Send, on this basis, as this client.
        case allowed(LegalBasis, client: APIClient, sor: String)
        /// Do not send, for this reason.
        case refused(String)
    }

    /// Whether subscription `id` may be told about a result of the patient in `state` with
    /// `colour` (nil: any colour) now: the subscription is active, its client neither revoked
    /// nor expired, and the access policy lets the client's organisation see the results.
    static func access(_ db: Connection, subscriptionID: SubscriptionID, state: PatientSharingState, colour: TriageColour?,
                       now: Date) throws -> Access {
        guard let row = try db.queryOne("""
            SELECT s.*, c.expires_at AS client_expires, c.revoked_at AS client_revoked FROM subscriptions s
            JOIN api_clients c ON c.id = s.api_client_id WHERE s.id = ?
            """, [.integer(subscriptionID.rawValue)]) else { return .refused("the subscription no longer exists") }
        let subscription = try subscription(row)
        guard subscription.status == .active else { return .refused("the subscription was turned off") }
        guard colour.map(subscription.colours.contains) ?? true else { return .refused("the criteria do not match") }
        guard try row.optionalString("client_revoked") == nil else { return .refused("the API client was revoked") }
        guard try row.optionalString("client_expires").flatMap(Timestamp.date).map({ now < $0 }) ?? true else {
            return .refused("the API client has expired")
        }
        guard let department = try Departments.find(db, id: subscription.organisationID) else {
            return .refused("the organisation no longer exists")
        }
        let client = APIClient(id: String(subscription.apiClientID.rawValue),
                               organisation: Organisation(sor: SORCode(department.sorCode), kind: department.kind))
        let decision = AccessPolicy.decide(actor: .apiClient(client), patient: state, data: .results, now: now)
        guard let basis = decision.legalBasis, decision.isAllowed else { return .refused("access policy: \(decision.auditCode)") }
        return .allowed(basis, client: client, sor: department.sorCode)
    }

    // MARK: - Rows

    static func subscription(_ row: Row) throws -> StoredSubscription {
        let createdAt = try Timestamp.date(row.string("created_at")) ?? .distantPast
        return StoredSubscription(id: SubscriptionID(rawValue: try row.int("id")), apiClientID: APIClientID(rawValue: try row.int("api_client_id")),
                                  organisationID: DepartmentID(rawValue: try row.int("organisation_id")),
                                  colours: Set(try row.string("colours").split(separator: ",").compactMap { TriageColour(rawValue: String($0)) }),
                                  endpoint: try row.string("endpoint"), fullPayload: try row.int("full_payload") != 0,
                                  status: StoredSubscription.Status(rawValue: try row.string("status")) ?? .off,
                                  reason: try row.string("reason"), createdAt: createdAt,
                                  updatedAt: try row.optionalString("updated_at").flatMap(Timestamp.date) ?? createdAt)
    }
}
