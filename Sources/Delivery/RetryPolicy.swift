import Foundation

/// When to try a failed delivery again: exponential back-off with a cap, a limit on attempts,
/// and jitter so that messages that failed together do not all retry at the same moment.
///
/// With the defaults (1 min, ×2, cap 1 h, 10 attempts, 10 % jitter) the waits after attempts
/// 1…9 are about 1, 2, 4, 8, 16, 32, 60, 60, 60 minutes: a relay that is down for four hours
/// loses nothing, and a message still failing after that becomes a dead letter for staff.
/// Only transient failures are retried (``DeliveryError/isTransient``).
public struct RetryPolicy: Sendable, Hashable {
    /// The wait after the first failed attempt. Default 1 minute.
    public var initialDelay: Duration
    /// The factor by which each wait grows. Default 2.
    public var multiplier: Double
    /// The longest wait. Default 1 hour.
    public var maximumDelay: Duration
    /// Attempts in all, the first included; after the last one fails, give up. Default 10.
    public var maximumAttempts: Int
    /// The fraction (0 ≤ jitter < 1) by which a wait may be shortened at random. Default 0.1.
    public var jitter: Double

    /// A policy with the documented defaults unless given.
    public init(initialDelay: Duration = .seconds(60), multiplier: Double = 2, maximumDelay: Duration = .seconds(3_600),
                maximumAttempts: Int = 10, jitter: Double = 0.1) {
        precondition(initialDelay > .zero && maximumDelay >= initialDelay, "RetryPolicy: delays must be positive and the cap at least the first delay")
        precondition(multiplier >= 1 && maximumAttempts >= 1 && (0..<1).contains(jitter), "RetryPolicy: multiplier ≥ 1, attempts ≥ 1, 0 ≤ jitter < 1")
        self.initialDelay = initialDelay
        self.multiplier = multiplier
        self.maximumDelay = maximumDelay
        self.maximumAttempts = maximumAttempts
        self.jitter = jitter
    }

    /// When to make the next attempt after attempt number `attempt` (1 for the first) failed
    /// at `failure`, or nil when that was the last attempt allowed (a dead letter).
    public func nextAttempt(afterFailure attempt: Int, at failure: Date) -> Date? {
        var generator = SystemRandomNumberGenerator()
        return nextAttempt(afterFailure: attempt, at: failure, using: &generator)
    }

    /// Like ``nextAttempt(afterFailure:at:)`` with jitter drawn from `generator`, so tests
    /// can make it deterministic.
    ///
    /// The wait is `initialDelay × multiplier^(attempt − 1)`, at most `maximumDelay`, then
    /// shortened by a random fraction of up to `jitter` (never lengthened, so the cap holds).
    public func nextAttempt(afterFailure attempt: Int, at failure: Date,
                            using generator: inout some RandomNumberGenerator) -> Date? {
        precondition(attempt >= 1, "RetryPolicy: attempts are numbered from 1")
        guard attempt < maximumAttempts else { return nil }
        let growth = pow(multiplier, Double(attempt - 1))
        let delay = min(initialDelay.inSeconds * growth, maximumDelay.inSeconds)
        // 53 random bits make a uniform fraction in [0, 1).
        let fraction = Double(generator.next() >> 11) * 0x1p-53
        return failure.addingTimeInterval(delay * (1 - jitter * fraction))
    }
}
