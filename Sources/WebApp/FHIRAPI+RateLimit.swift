import Foundation
import Synchronization

/// A token bucket per API client (the classic "token bucket" of RFC 2697 §1 / RFC 4115, as
/// used for API rate limits): `burst` requests at once, refilled at `perSecond`.
///
/// In memory: a restart refills every bucket, which is harmless for a limit meant to keep one
/// misbehaving integration from starving the others.
final class FHIRRateLimiter: Sendable {
    /// Sustained requests per second per client (default 20).
    let perSecond: Double
    /// Requests a client may make at once after being idle (default 40).
    let burst: Double
    private let buckets = Mutex<[Int64: (tokens: Double, at: Date)]>([:])

    init(perSecond: Double = 20, burst: Double = 40) {
        self.perSecond = perSecond
        self.burst = burst
    }

    /// Takes one token from the client's bucket: nil when allowed, else the whole seconds to wait.
    func take(client: Int64, now: Date) -> Int? {
        buckets.withLock { buckets in
            let previous = buckets[client] ?? (tokens: burst, at: now)
            let refilled = min(burst, previous.tokens + max(0, now.timeIntervalSince(previous.at)) * perSecond)
            guard refilled >= 1 else {
                buckets[client] = (refilled, now)
                return max(1, Int(((1 - refilled) / perSecond).rounded(.up)))
            }
            buckets[client] = (refilled - 1, now)
            return nil
        }
    }
}
