import Foundation
import Storage
import Synchronization

/// The server's background work: every `interval`, one follow-up pass (invitations, reminders,
/// expiries), one delivery pass over the outbox, one over subscription notifications, and the
/// audit log's retention.
///
/// The clock is injected, so tests move time and call `runOnce` themselves. A failed pass is
/// logged and retried at the next tick; the status tells `/readyz` when the last pass ran and
/// whether it failed.
public final class BackgroundJobs: Sendable {
    /// When the last pass finished and what went wrong in it, if anything.
    public struct Status: Sendable, Hashable {
        public var lastRunAt: Date?
        public var lastFailure: String?
    }

    private let database: Database
    private let runner: FollowUpRunner
    private let delivery: OutboxDelivery?
    /// Push (issue 6): rest-hook notifications to subscribers; nil leaves them queued.
    private let hooks: SubscriptionDelivery?
    private let clock: @Sendable () -> Date
    /// How long audit rows are kept (`AuditLog.prune` keeps the chain verifiable); nil keeps all.
    private let auditRetention: TimeInterval?
    private let log: @Sendable (String, [String: String]) -> Void
    private let state = Mutex(Status())

    /// `delivery` nil: no relay is configured, so e-mail waits in the outbox (letters do not need one).
    /// `hooks` nil: rest-hook notifications wait in their queue (the server always passes one).
    public init(database: Database, runner: FollowUpRunner, delivery: OutboxDelivery?, clock: @escaping @Sendable () -> Date,
                auditRetention: TimeInterval? = BackgroundJobs.defaultAuditRetention,
                hooks: SubscriptionDelivery? = nil,
                log: @escaping @Sendable (String, [String: String]) -> Void) {
        self.database = database
        self.auditRetention = auditRetention
        self.runner = runner
        self.delivery = delivery
        self.hooks = hooks
        self.clock = clock
        self.log = log
    }

    public var status: Status { state.withLock { $0 } }

    /// Five years: the retention the product owner set for access logs (issue 5), configurable.
    public static let defaultAuditRetention: TimeInterval = 5 * 365.25 * 86_400

    /// Runs a pass every `interval` until the task is cancelled.
    public func start(every interval: Duration) -> Task<Void, Never> {
        Task.detached { [self] in
            while !Task.isCancelled {
                await runOnce()
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One follow-up pass, then one delivery pass.
    @discardableResult
    public func runOnce() async -> (followUp: FollowUpRunner.Report, delivery: OutboxDelivery.Report?) {
        let followUp = await runner.run(database, now: clock())
        var failure = followUp.failures.first
        log("follow-up-pass", ["invitations": String(followUp.invitations), "reminders": String(followUp.reminders),
                               "expiries": String(followUp.expiries), "skips": String(followUp.skips),
                               "failures": String(followUp.failures.count)])
        var delivered: OutboxDelivery.Report?
        if let delivery {
            do {
                let report = try await delivery.deliverDue(database, clock: clock)
                delivered = report
                log("delivery-pass", ["delivered": String(report.delivered), "retrying": String(report.retrying),
                                      "dead": String(report.dead)])
            } catch {
                failure = failure ?? "delivery: \(error)"
                log("delivery-pass-failed", ["error": String(describing: type(of: error))])
            }
        }
        // Push (issue 6): one subscription delivery pass.
        do {
            if let report = try await hooks?.deliverDue(database, clock: clock), report != SubscriptionDelivery.Report() {
                log("subscription-pass", ["delivered": String(report.delivered), "retrying": String(report.retrying),
                                          "dead": String(report.dead), "withdrawn": String(report.withdrawn),
                                          "deferred": String(report.deferred)])
            }
        } catch {
            failure = failure ?? "subscription delivery: \(error)"
            log("subscription-pass-failed", ["error": String(describing: type(of: error))])
        }
        if let auditRetention {
            let now = clock()
            do {
                let pruned = try await database.write { db in try AuditLog.prune(db, olderThan: now.addingTimeInterval(-auditRetention), now: now) }
                if pruned > 0 { log("audit-retention", ["deleted": String(pruned)]) }
            } catch {
                failure = failure ?? "audit retention: \(error)"
            }
        }
        let finishedAt = clock()
        state.withLock { $0 = Status(lastRunAt: finishedAt, lastFailure: failure) }
        return (followUp, delivered)
    }
}
