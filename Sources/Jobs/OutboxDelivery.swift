import Delivery
import Foundation
import Storage

/// Delivers the outbox's e-mail through the configured relay and records every attempt.
///
/// A message is read, sent, and its outcome written in a transaction of its own, after the
/// relay answered: a crash between the relay's acceptance and that write sends the message
/// again on the next pass (at least once; its Message-ID stays the same, so a mail program can
/// tell). Transient failures are retried on the `RetryPolicy` schedule; permanent ones, and
/// transient ones that ran out of attempts, become dead letters that staff see.
public struct OutboxDelivery: Sendable {
    public var relay: SMTPRelay
    public var from: MailAddress
    /// The domain of Message-IDs (`byneed.example.dk`).
    public var messageIDDomain: String
    public var retry: RetryPolicy
    /// How many messages one pass sends at most, so a long backlog does not delay the scheduler.
    public var batchLimit: Int

    public init(relay: SMTPRelay, from: MailAddress, messageIDDomain: String, retry: RetryPolicy = RetryPolicy(),
                batchLimit: Int = 50) {
        self.relay = relay
        self.from = from
        self.messageIDDomain = messageIDDomain
        self.retry = retry
        self.batchLimit = batchLimit
    }

    /// What one pass did.
    public struct Report: Sendable, Hashable {
        public var delivered = 0
        public var retrying = 0
        public var dead = 0

        public init() {}
    }

    /// Sends every e-mail due at `clock()`; each outcome is recorded at the time it happened.
    public func deliverDue(_ database: Database, clock: @escaping @Sendable () -> Date) async throws -> Report {
        var report = Report()
        let due = try database.read { try Outbox.due($0, channel: .email, now: clock(), limit: batchLimit) }
        for item in due {
            let outcome = await attempt(item, clock: clock)
            let now = clock()
            try await database.write { db in try Outbox.record(db, item.id, outcome: outcome, now: now) }
            switch outcome {
            case .delivered: report.delivered += 1
            case .transient(_, .some): report.retrying += 1
            case .transient(_, nil), .permanent: report.dead += 1
            }
        }
        return report
    }

    /// Sends one message on a thread of its own: the SMTP conversation blocks (with timeouts),
    /// and must not hold one of the few threads that serve requests.
    private func attempt(_ item: OutboxItem, clock: @escaping @Sendable () -> Date) async -> DeliveryOutcome {
        guard let message = item.message, let recipient = item.recipient else {
            return .permanent(detail: "no message or recipient stored")
        }
        let mail: MailMessage
        do {
            mail = try MailMessage(from: from, to: MailAddress(recipient), subject: message.subject, textBody: message.text,
                                   htmlBody: message.html, date: item.createdAt, messageIDDomain: messageIDDomain,
                                   messageIDLocalPart: message.messageID)
        } catch {
            return .permanent(detail: error.description)
        }
        let relay = self.relay
        let retry = self.retry
        let attemptNumber = item.attempts + 1
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                do throws(DeliveryError) {
                    _ = try relay.send(mail)
                    continuation.resume(returning: .delivered)
                } catch {
                    let failedAt = clock()
                    continuation.resume(returning: error.isTransient
                        ? .transient(detail: error.description, retryAt: retry.nextAttempt(afterFailure: attemptNumber, at: failedAt))
                        : .permanent(detail: error.description))
                }
            }
            thread.name = "byneed-smtp"
            thread.start()
        }
    }
}
