import Foundation
import SQLite

/// The one thread that writes: takes jobs from a bounded queue and commits them in batches.
///
/// Jobs run in submission order, one after the other, each in its own savepoint inside the
/// batch's transaction (see `commit(_:on:)`). A batch is formed from the jobs queued when the
/// writer is free, topped up for at most `WriterLimits.maxBatchWait` after its first job
/// arrived, and never larger than `WriterLimits.maxBatchJobs`.
final class WriterThread: @unchecked Sendable {
    // Invariant: `queue`, `stopping`, `finished` and `statistics` are read and written only while
    // `condition` is locked; `pooled` is used only on the writer thread, which also closes the
    // connection (sets it to nil) before it marks itself finished.
    private let condition = NSCondition()
    private var queue: [WriteJob] = []
    private var stopping = false
    private var finished = false
    private var statistics: DatabaseStatistics
    private let limits: WriterLimits
    private var pooled: PooledConnection?

    init(connection: PooledConnection, limits: WriterLimits) {
        pooled = connection
        self.limits = limits
        statistics = DatabaseStatistics(queueCapacity: limits.queueCapacity)
        let thread = Thread { [self] in run() }
        thread.name = "byneed-writer"
        thread.start()
    }

    /// Queues a job; throws `closed` when the writer is stopping and `overloaded` when the
    /// queue is full, in both cases without queueing it.
    func submit(_ job: WriteJob) throws(StorageError) {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { throw .closed }
        guard queue.count < limits.queueCapacity else {
            statistics.jobsRefused += 1
            throw .overloaded(queueCapacity: limits.queueCapacity)
        }
        queue.append(job)
        condition.broadcast()
    }

    /// Refuses new jobs, lets the queued ones finish, and waits until the thread has ended.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    /// A consistent copy of the counters, with the current queue depth.
    var snapshot: DatabaseStatistics {
        condition.lock()
        defer { condition.unlock() }
        var copy = statistics
        copy.queueDepth = queue.count
        copy.acceptsWrites = !stopping
        return copy
    }

    // MARK: - The thread

    /// Commits batches until stopped, then closes the connection and only then reports itself
    /// finished: `Database.close()` returns after SQLite has closed the file, so a command can
    /// exit, or another process take the file, without racing the writer's last steps.
    private func run() {
        while let batch = nextBatch(), let connection = pooled?.connection {
            let reports = commit(batch[...], on: connection)
            condition.lock()
            for report in reports { record(report) }
            condition.unlock()
        }
        pooled = nil
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the first job, then up to `maxBatchWait` after its arrival for more, and takes
    /// at most `maxBatchJobs`; nil once stopping with nothing left.
    /// While stopping it does not wait for company: nobody new can arrive.
    private func nextBatch() -> [WriteJob]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !stopping { condition.wait() }
        guard let first = queue.first else { return nil }
        let deadline = first.enqueued + limits.maxBatchWait
        while queue.count < limits.maxBatchJobs && !stopping {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { break }
            _ = condition.wait(until: Date(timeIntervalSinceNow: Self.seconds(remaining)))
        }
        let taken = Array(queue.prefix(limits.maxBatchJobs))
        queue.removeFirst(taken.count)
        return taken
    }

    /// Adds one transaction's outcome to the counters; `condition` must be locked.
    private func record(_ report: BatchReport) {
        statistics.batchSizes.record(report.jobs)
        statistics.jobsCommitted += report.committed
        statistics.jobsFailed += report.jobs - report.committed
        if let duration = report.commitDuration {
            statistics.batchesCommitted += 1
            statistics.commitMicroseconds.record(Self.microseconds(duration))
        } else {
            statistics.batchesFailed += 1
        }
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        TimeInterval(duration.components.seconds) + TimeInterval(duration.components.attoseconds) * 1e-18
    }

    private static func microseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds) * 1_000_000 + Int(duration.components.attoseconds / 1_000_000_000_000)
    }
}
