import JSON
import Storage

extension FHIRResources {
    /// A stored subscription as an R4 Subscription (FHIR R4 subscription.html): `status`
    /// `active` or `off`, `reason`, `criteria`, and the rest-hook `channel` with its endpoint
    /// and, for full payloads, `payload` `application/fhir+json`. The HMAC secret is never
    /// part of it (it is shown once, when the subscription is created). `meta.versionId` is
    /// `1`, or `2` once turned off, updated at that moment.
    public static func subscription(_ stored: StoredSubscription) -> JSON {
        let channel = object([("type", "rest-hook"), ("endpoint", .string(stored.endpoint)),
                              ("payload", stored.fullPayload ? "application/fhir+json" : nil)])
        let resource = object([("resourceType", "Subscription"), ("id", .string(String(stored.id.rawValue))),
                               ("status", .string(stored.status.rawValue)), ("reason", .string(stored.reason)),
                               ("criteria", .string(stored.criteria)), ("channel", channel)])
        return ResourceMeta(versionId: stored.versionID, lastUpdated: stored.updatedAt).applied(to: resource)
    }
}
