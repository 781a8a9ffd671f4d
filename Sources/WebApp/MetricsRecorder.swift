import HTTPCore
import Synchronization

/// What the application answered, counted for `/metrics`: requests by method, route template
/// and status, and a latency histogram by route template.
///
/// Labels are bounded by construction: the route is a registered template (or `unmatched`), the
/// method one of the standard methods (or `other`), the status a code the application chose.
/// Nothing from the raw path, query or body is ever a label, so neither a link token nor
/// anything about a patient can reach the metrics. Responses the HTTP server writes on its own
/// (400 for malformed requests, 408 timeouts) never reach the application and are not counted.
final class MetricsRecorder: Sendable {
    /// One series of the request counter.
    struct RequestKey: Sendable, Hashable {
        let method: String
        let route: String
        let status: Int
    }

    /// The counters at one moment.
    struct Snapshot: Sendable {
        var requests: [RequestKey: Int] = [:]
        var latency: [String: Histogram] = [:]
    }

    /// Counts of values in buckets with inclusive upper bounds, and their sum (microseconds).
    struct Histogram: Sendable, Hashable {
        let upperBounds: [Int]
        private(set) var counts: [Int]
        private(set) var sum = 0

        init(upperBounds: [Int]) {
            self.upperBounds = upperBounds
            counts = Array(repeating: 0, count: upperBounds.count + 1)
        }

        mutating func record(_ value: Int) {
            counts[upperBounds.firstIndex { value <= $0 } ?? upperBounds.count] += 1
            sum += value
        }
    }

    /// Latency bucket bounds in microseconds, 5 ms to 10 s: a page is expected in well under
    /// 100 ms, a submission waits for one fsync, and anything near a second is a problem.
    static let latencyBoundsMicroseconds = [5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
                                            1_000_000, 2_500_000, 5_000_000, 10_000_000]

    private let state = Mutex(Snapshot())

    /// Counts one answered request.
    func record(method: HTTPMethod, route: String, status: Int, duration: Duration) {
        let key = RequestKey(method: HTTPMethod.standard.contains(method) ? method.rawValue : "other",
                             route: route, status: status)
        let (seconds, attoseconds) = duration.components
        let microseconds = Int(clamping: seconds &* 1_000_000 &+ attoseconds / 1_000_000_000_000)
        state.withLock { state in
            state.requests[key, default: 0] += 1
            state.latency[route, default: Histogram(upperBounds: Self.latencyBoundsMicroseconds)].record(microseconds)
        }
    }

    /// A consistent copy of every counter.
    var snapshot: Snapshot { state.withLock { $0 } }
}
