import Foundation
import Questionnaire

/// An organisation's rest-hook subscription to new results (FHIR R4 subscription.html).
public struct StoredSubscription: Sendable, Hashable {
    /// `active` until the client deletes it, then `off` for good (FHIR R4 `SubscriptionStatus`).
    public enum Status: String, Sendable, Hashable {
        case active, off
    }

    /// The Subscription's id (`Subscription/<id>`).
    public let id: SubscriptionID
    /// The API client that created it; revoking the client stops its notifications.
    public let apiClientID: APIClientID
    /// The organisation whose access decides which patients' results are sent.
    public let organisationID: DepartmentID
    /// The triage colours that trigger a notification (`_triage=` in the criteria; all when omitted).
    public let colours: Set<TriageColour>
    /// Where notifications are POSTed.
    public let endpoint: String
    /// true: the full QuestionnaireResponse; false: id-only.
    public let fullPayload: Bool
    /// Whether notifications are still queued for it.
    public let status: Status
    /// Why the client subscribed (`Subscription.reason`, 1..1 in R4).
    public let reason: String
    /// When it was created.
    public let createdAt: Date
    /// When it last changed: when it was turned off, else when it was created.
    public let updatedAt: Date

    /// `Subscription.criteria` as the client can send it back: `QuestionnaireResponse` for all
    /// colours, else `QuestionnaireResponse?_triage=` with the colours from red to green.
    public var criteria: String {
        if colours == Set(TriageColour.allCases) { return "QuestionnaireResponse" }
        return "QuestionnaireResponse?_triage=" + TriageColour.allCases.reversed().filter(colours.contains).map(\.rawValue).joined(separator: ",")
    }

    /// `meta.versionId`: `1` as created, `2` once turned off (its only change).
    public var versionID: String { status == .active ? "1" : "2" }
}

/// One notification as queued, with what the deliverer needs to send it.
public struct SubscriptionNotification: Sendable, Hashable {
    /// The delivery id, sent as `X-ByNeed-Delivery` for receivers to deduplicate by.
    public let id: SubscriptionDeliveryID
    /// The subscription it belongs to.
    public let subscriptionID: SubscriptionID
    /// The FHIR id of the QuestionnaireResponse it announces.
    public let responseResourceID: String
    /// Where it is POSTed.
    public let endpoint: String
    /// true: the body carries the full resource, built when it is sent.
    public let fullPayload: Bool
    /// The HMAC-SHA256 key of the subscription.
    public let secret: [UInt8]
    /// The id-only `history` Bundle, stored when the notification was queued.
    public let body: String
    /// `pending`, `delivered`, `dead`, `stopped` (its subscription was turned off) or
    /// `withdrawn` (the access policy no longer allowed it when it was due).
    public let state: String
    /// Attempts made so far.
    public let attempts: Int
    /// What went wrong in the last failed attempt, or why it was stopped or withdrawn.
    public let lastError: String?
}

/// Whether a due notification may still be sent, decided when it is due.
public enum NotificationClearance: Sendable, Hashable {
    /// Send it; `disclosure` is the audit row to append with the attempt's outcome.
    case send(disclosure: AuditEntry)
    /// Do not send it, for this reason (recorded as `withdrawn`).
    case withdraw(reason: String)
}
