import Foundation
import Questionnaire

/// An organisation's rest-hook subscription to new results (FHIR R4 subscription.html).
public struct StoredSubscription: Sendable, Hashable {
    public let id: SubscriptionID
    public let apiClientID: APIClientID
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
    public let id: SubscriptionDeliveryID
    public let subscriptionID: SubscriptionID
    public let endpoint: String
    /// The HMAC-SHA256 key of the subscription.
    public let secret: [UInt8]
    public let body: String
    /// `pending`, `delivered` or `dead`.
    public let state: String
    public let attempts: Int
    public let lastError: String?
}
