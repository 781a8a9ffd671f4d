import Foundation
import Questionnaire

/// An organisation's rest-hook subscription to new results (FHIR R4 subscription.html).
public struct StoredSubscription: Sendable, Hashable {
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
}

/// One notification as queued: the body is fixed when the response is stored.
public struct SubscriptionNotification: Sendable, Hashable {
    /// The delivery id, sent as `X-ByNeed-Delivery` for receivers to deduplicate by.
    public let id: SubscriptionDeliveryID
    /// The subscription it belongs to.
    public let subscriptionID: SubscriptionID
    /// Where it is POSTed.
    public let endpoint: String
    /// The HMAC-SHA256 key of the subscription.
    public let secret: [UInt8]
    /// The `history` Bundle to POST.
    public let body: String
    /// `pending`, `delivered` or `dead`.
    public let state: String
    /// Attempts made so far.
    public let attempts: Int
    /// What went wrong in the last failed attempt.
    public let lastError: String?
}
