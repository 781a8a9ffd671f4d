import Foundation
import SQLite

/// One attempt to deliver a notification, as the history shows it.
public struct SubscriptionAttempt: Sendable, Hashable {
    /// The notification (`X-ByNeed-Delivery`).
    public let deliveryID: SubscriptionDeliveryID
    /// 1 for the first attempt of that notification.
    public let attempt: Int
    public let at: Date
    /// `delivered`, `transient`, `permanent`, `withdrawn` or `stopped`.
    public let outcome: String
    /// The receiver's answer or the error, if any.
    public let detail: String?
}

extension Subscriptions {
    /// Every subscription of every organisation, newest first: what administrators oversee.
    public static func every(_ db: Connection) throws -> [StoredSubscription] {
        try db.query("SELECT * FROM subscriptions ORDER BY id DESC").map(subscription)
    }

    /// How many of a subscription's notifications are in each state (`delivered`, `pending`,
    /// `dead`, `stopped`, `withdrawn`), for every subscription that has any.
    public static func deliveryCounts(_ db: Connection) throws -> [SubscriptionID: [String: Int]] {
        var counts: [SubscriptionID: [String: Int]] = [:]
        for row in try db.query("SELECT subscription_id, state, COUNT(*) AS n FROM subscription_deliveries GROUP BY subscription_id, state") {
            counts[SubscriptionID(rawValue: try row.int("subscription_id")), default: [:]][try row.string("state")] = Int(try row.int("n"))
        }
        return counts
    }

    /// Every attempt to deliver a subscription's notifications, newest first: its delivery history.
    public static func attempts(_ db: Connection, subscriptionID: SubscriptionID) throws -> [SubscriptionAttempt] {
        try db.query("""
            SELECT a.* FROM subscription_attempts a JOIN subscription_deliveries d ON d.id = a.delivery_id
            WHERE d.subscription_id = ? ORDER BY a.at DESC, a.id DESC
            """, [.integer(subscriptionID.rawValue)]).map { row in
            SubscriptionAttempt(deliveryID: SubscriptionDeliveryID(rawValue: try row.int("delivery_id")), attempt: Int(try row.int("attempt")),
                                at: try timestamp(row, "at", table: "subscription_attempts"), outcome: try row.string("outcome"),
                                detail: try row.optionalString("detail"))
        }
    }
}
