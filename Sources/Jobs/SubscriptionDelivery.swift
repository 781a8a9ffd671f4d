import Delivery
import Foundation
import JSON
import Security
import SQLite
import Storage

/// Delivers queued rest-hook notifications (FHIR R4 subscription.html, channel `rest-hook`)
/// and records every attempt, like `OutboxDelivery` for e-mail.
///
/// Each notification is POSTed with `X-ByNeed-Signature: sha256=<hex HMAC-SHA256 of the body
/// under the subscription's secret>` and `X-ByNeed-Delivery: <id>`; 2xx is delivered.
///
/// Isolation: a pass groups the due notifications by endpoint and serves up to
/// `concurrentEndpoints` endpoints at once, each endpoint's notifications in order, each POST
/// on a thread of its own bounded by `HookClient.timeout`. After a transient failure the rest
/// of that subscription's notifications wait for their retry instead of each timing out in
/// turn, so a subscriber that hangs or answers 500 holds up only itself.
///
/// Access: just before sending, `Subscriptions.clearance` decides again (subscription still
/// active, client neither revoked nor expired, the access policy still allows the patient's
/// results); otherwise the notification is withdrawn, with an attempt row. Every notification
/// sent gets an audit row in the transaction that records its outcome. The full-resource
/// payload is built at that moment by `resource`, so it is what a read returns.
///
/// Connection errors, timeouts, 5xx, 408 and 429 are retried on the `RetryPolicy` schedule;
/// other answers and running out of attempts make a dead letter (`byneed client
/// deliveries`). A crash between the subscriber's 2xx and recording it sends again: at least
/// once, deduplicate by delivery id.
public struct SubscriptionDelivery: Sendable {
    /// Builds the QuestionnaireResponse with this FHIR id as `GET /fhir/QuestionnaireResponse/<id>`
    /// returns it (with `meta`), in the delivery's transaction; nil when there is none.
    public typealias ResourceBuilder = @Sendable (Connection, String) throws -> JSON?

    /// What one pass did.
    public struct Report: Sendable, Hashable {
        /// Answered 2xx.
        public var delivered = 0
        /// Failed transiently; retried later.
        public var retrying = 0
        /// Failed for good: dead letters.
        public var dead = 0
        /// Not sent: the access check at delivery time refused it.
        public var withdrawn = 0
        /// Left for a later pass because an earlier notification of the same subscription
        /// failed transiently in this one.
        public var deferred = 0

        public init() {}

        static func + (lhs: Report, rhs: Report) -> Report {
            var sum = lhs
            sum.delivered += rhs.delivered
            sum.retrying += rhs.retrying
            sum.dead += rhs.dead
            sum.withdrawn += rhs.withdrawn
            sum.deferred += rhs.deferred
            return sum
        }
    }

    /// When to retry a transient failure. Default `defaultRetry`.
    public var retry: RetryPolicy
    /// How many notifications one pass handles at most. Default 50.
    public var batchLimit: Int
    /// The bound on each connect, send and the wait for the answer. Default 5 seconds.
    public var timeout: Duration
    /// How many endpoints are served at the same time. Default 8.
    public var concurrentEndpoints: Int
    /// Builds the full-resource payload.
    let resource: ResourceBuilder

    /// Subscribers are machines that restart quickly: first retry after 5 s, doubling up to
    /// 1 h, 15 attempts in all (about 5½ h before a dead letter).
    public static let defaultRetry = RetryPolicy(initialDelay: .seconds(5), maximumDelay: .seconds(3_600), maximumAttempts: 15)

    /// A deliverer with the documented defaults unless given; `resource` builds full payloads.
    public init(resource: @escaping ResourceBuilder, retry: RetryPolicy = SubscriptionDelivery.defaultRetry, batchLimit: Int = 50,
                timeout: Duration = .seconds(5), concurrentEndpoints: Int = 8) {
        self.resource = resource
        self.retry = retry
        self.batchLimit = batchLimit
        self.timeout = timeout
        self.concurrentEndpoints = max(concurrentEndpoints, 1)
    }

    /// The signature header value: `sha256=` and the lower-case hex HMAC-SHA256 of `body`.
    public static func signature(body: some Collection<UInt8>, secret: some Collection<UInt8>) -> String {
        "sha256=" + HMACSHA256.authenticationCode(key: secret, message: body).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: - Passes

    /// Sends every notification due at `clock()`, endpoints in parallel; each outcome is
    /// recorded when it happened.
    public func deliverDue(_ database: Database, clock: @escaping @Sendable () -> Date) async throws -> Report {
        let due = try database.read { try Subscriptions.due($0, now: clock(), limit: batchLimit) }
        var queues: [[SubscriptionNotification]] = []
        var queueOfEndpoint: [String: Int] = [:]
        for notification in due {
            if let index = queueOfEndpoint[notification.endpoint] {
                queues[index].append(notification)
            } else {
                queueOfEndpoint[notification.endpoint] = queues.count
                queues.append([notification])
            }
        }
        return try await withThrowingTaskGroup(of: Report.self) { group in
            var report = Report()
            for (index, queue) in queues.enumerated() {
                if index >= concurrentEndpoints, let finished = try await group.next() { report = report + finished }
                group.addTask { try await deliver(queue, database, clock: clock) }
            }
            for try await finished in group { report = report + finished }
            return report
        }
    }

    /// One endpoint's notifications in order; a subscription's rest is deferred after its
    /// first transient failure.
    private func deliver(_ queue: [SubscriptionNotification], _ database: Database,
                         clock: @escaping @Sendable () -> Date) async throws -> Report {
        var report = Report()
        var failing: Set<SubscriptionID> = []
        for notification in queue {
            guard !failing.contains(notification.subscriptionID) else {
                report.deferred += 1
                continue
            }
            guard let (body, disclosure) = try await prepare(notification, database, now: clock()) else {
                report.withdrawn += 1
                continue
            }
            let outcome = await attempt(notification, body: body, clock: clock)
            let now = clock()
            try await database.write { db in
                try Subscriptions.record(db, notification.id, outcome: outcome, disclosure: disclosure, now: now)
            }
            switch outcome {
            case .delivered:
                report.delivered += 1
            case .transient(_, .some):
                report.retrying += 1
                failing.insert(notification.subscriptionID)
            case .transient(_, nil), .permanent:
                report.dead += 1
            }
        }
        return report
    }

    /// The body to send and the audit row of sending it, or nil when the notification was
    /// withdrawn (recorded in the same transaction as the decision).
    private func prepare(_ notification: SubscriptionNotification, _ database: Database,
                         now: Date) async throws -> (body: String, disclosure: AuditEntry)? {
        let resource = self.resource
        return try await database.write { db -> (body: String, disclosure: AuditEntry)? in
            var clearance = try Subscriptions.clearance(db, notification, now: now)
            var body = notification.body
            if case .send = clearance, notification.fullPayload {
                if let built = try resource(db, notification.responseResourceID) {
                    body = Subscriptions.notificationBody(resourceID: notification.responseResourceID, resource: built)
                } else {
                    clearance = .withdraw(reason: "the response no longer exists")
                }
            }
            switch clearance {
            case .send(let disclosure):
                return (body, disclosure)
            case .withdraw(let reason):
                try Subscriptions.withdraw(db, notification.id, reason: reason, now: now)
                return nil
            }
        }
    }

    /// POSTs one notification on a thread of its own: the socket calls block (with timeouts).
    private func attempt(_ notification: SubscriptionNotification, body text: String,
                         clock: @escaping @Sendable () -> Date) async -> DeliveryOutcome {
        let client = HookClient(timeout: timeout)
        let retry = self.retry
        let body = Array(text.utf8)
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
