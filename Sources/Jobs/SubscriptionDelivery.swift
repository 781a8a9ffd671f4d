import Delivery
import Foundation
import Security
import Storage

/// Delivers queued rest-hook notifications (FHIR R4 subscription.html, channel `rest-hook`)
/// and records every attempt, like `OutboxDelivery` for e-mail.
///
/// Each notification is POSTed with `X-ByNeed-Signature: sha256=<hex HMAC-SHA256 of the body
/// under the subscription's secret>` and `X-ByNeed-Delivery: <id>`; 2xx is delivered. The pass
/// runs one POST at a time on a dedicated thread, each bounded by `HookClient.timeout` for
/// connect, send and read, so a slow subscriber delays the others by at most a few timeouts
/// per pass and never blocks them. Connection errors, timeouts, 5xx, 408 and 429 are retried
/// on the `RetryPolicy` schedule; other answers, an `https://` endpoint (not supported) and
/// running out of attempts make a dead letter (`byneed client deliveries`). A crash between
/// the subscriber's 2xx and recording it sends again: at least once, deduplicate by delivery id.
public struct SubscriptionDelivery: Sendable {
    /// When to retry a transient failure. Default `defaultRetry`.
    public var retry: RetryPolicy
    /// How many notifications one pass sends at most. Default 50.
    public var batchLimit: Int
    /// The bound on each connect, send and read. Default 5 seconds.
    public var timeout: Duration

    /// Subscribers are machines that restart quickly: first retry after 5 s, doubling up to
    /// 1 h, 15 attempts in all (about 6 h before a dead letter).
    public static let defaultRetry = RetryPolicy(initialDelay: .seconds(5), maximumDelay: .seconds(3_600), maximumAttempts: 15)

    /// A deliverer with the documented defaults unless given.
    public init(retry: RetryPolicy = SubscriptionDelivery.defaultRetry, batchLimit: Int = 50, timeout: Duration = .seconds(5)) {
        self.retry = retry
        self.batchLimit = batchLimit
        self.timeout = timeout
    }

    /// The signature header value: `sha256=` and the lower-case hex HMAC-SHA256 of `body`.
    public static func signature(body: some Collection<UInt8>, secret: some Collection<UInt8>) -> String {
        "sha256=" + HMACSHA256.authenticationCode(key: secret, message: body).map { String(format: "%02x", $0) }.joined()
    }

    /// Sends every notification due at `clock()`; each outcome is recorded when it happened.
    public func deliverDue(_ database: Database, clock: @escaping @Sendable () -> Date) async throws -> OutboxDelivery.Report {
        var report = OutboxDelivery.Report()
        let due = try database.read { try Subscriptions.due($0, now: clock(), limit: batchLimit) }
        for notification in due {
            let outcome = await attempt(notification, clock: clock)
            let now = clock()
            try await database.write { db in try Subscriptions.record(db, notification.id, outcome: outcome, now: now) }
            switch outcome {
            case .delivered: report.delivered += 1
            case .transient(_, .some): report.retrying += 1
            case .transient(_, nil), .permanent: report.dead += 1
            }
        }
        return report
    }

    /// POSTs one notification on a thread of its own: the socket calls block (with timeouts).
    private func attempt(_ notification: SubscriptionNotification, clock: @escaping @Sendable () -> Date) async -> DeliveryOutcome {
        let client = HookClient(timeout: timeout)
        let retry = self.retry
        let body = Array(notification.body.utf8)
        let headers = [("X-ByNeed-Signature", Self.signature(body: body, secret: notification.secret)),
                       ("X-ByNeed-Delivery", String(notification.id.rawValue))]
        let attemptNumber = notification.attempts + 1
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                do throws(HookClient.Failure) {
                    _ = try client.post(notification.endpoint, body: body, headers: headers)
                    continuation.resume(returning: .delivered)
                } catch {
                    continuation.resume(returning: error.isTransient
                        ? .transient(detail: error.description, retryAt: retry.nextAttempt(afterFailure: attemptNumber, at: clock()))
                        : .permanent(detail: error.description))
                }
            }
            thread.name = "byneed-hook"
            thread.start()
        }
    }
}
