/// A snapshot of the writer thread's counters, for the `/metrics` endpoint and for tests.
///
/// Counters only grow while the database is open; a snapshot is taken under the writer's lock,
/// so its numbers agree with each other (every counted job is in exactly one counted batch).
public struct DatabaseStatistics: Sendable, Hashable {
    /// Jobs waiting for the writer now (not counting the batch being committed).
    public var queueDepth: Int
    /// The queue's capacity (`WriterLimits.queueCapacity`).
    public var queueCapacity: Int
    /// False once `close()` has begun: queued jobs still finish, new ones fail with `closed`.
    public var acceptsWrites: Bool
    /// Transactions whose COMMIT returned successfully.
    public var batchesCommitted: Int
    /// Transactions that did not commit (BEGIN or COMMIT failed, or SQLite rolled them back).
    public var batchesFailed: Int
    /// Jobs whose changes were committed and whose callers got their value.
    public var jobsCommitted: Int
    /// Jobs whose callers got an error from the writer: their own, or their batch's.
    public var jobsFailed: Int
    /// Writes refused with `StorageError.overloaded` because the queue was full.
    public var jobsRefused: Int
    /// Jobs per transaction, every transaction counted (committed or not).
    public var batchSizes: Histogram
    /// Wall time of each successful COMMIT statement in microseconds: the fsync of the WAL.
    public var commitMicroseconds: Histogram

    /// A fresh set of counters for a queue of `capacity` jobs.
    init(queueCapacity capacity: Int) {
        queueDepth = 0
        queueCapacity = capacity
        acceptsWrites = true
        batchesCommitted = 0
        batchesFailed = 0
        jobsCommitted = 0
        jobsFailed = 0
        jobsRefused = 0
        batchSizes = Histogram(upperBounds: [1, 2, 4, 8, 16, 32, 64, 128, 256])
        commitMicroseconds = Histogram(upperBounds: [100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000,
                                                     50_000, 100_000, 250_000, 1_000_000])
    }

    /// Counts of values in buckets with fixed inclusive upper bounds, plus their sum: the
    /// shape of a Prometheus histogram (`_bucket{le=…}` from `cumulativeCounts`, `_sum`, `_count`).
    public struct Histogram: Sendable, Hashable {
        /// The inclusive upper bound of each bucket, ascending.
        public let upperBounds: [Int]
        /// Values per bucket; one more entry than `upperBounds`, the last for values above them all.
        public private(set) var counts: [Int]
        /// The sum of all recorded values.
        public private(set) var sum: Int

        init(upperBounds: [Int]) {
            self.upperBounds = upperBounds
            counts = Array(repeating: 0, count: upperBounds.count + 1)
            sum = 0
        }

        /// How many values were recorded.
        public var count: Int { counts.reduce(0, +) }

        /// For each upper bound and then for +Inf, how many values were at most that bound.
        public var cumulativeCounts: [Int] {
            var total = 0
            return counts.map { count in
                total += count
                return total
            }
        }

        mutating func record(_ value: Int) {
            counts[upperBounds.firstIndex { value <= $0 } ?? upperBounds.count] += 1
            sum += value
        }
    }
}
