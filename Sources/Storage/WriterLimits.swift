/// The bounds of the writer thread's queue and of its group commits.
///
/// Every write waits for one fsync (`synchronous=FULL`), so the writer's throughput is bounded
/// by how many jobs share one COMMIT. These limits keep both memory and latency bounded: the
/// queue refuses work it could not finish in reasonable time (the caller gets
/// `StorageError.overloaded` at once instead of waiting behind thousands of others), and a
/// batch neither grows without end nor waits long for company.
public struct WriterLimits: Sendable, Hashable {
    /// Jobs that may wait for the writer, not counting the batch being committed; one more is
    /// refused with `StorageError.overloaded`. Default 1,024: sixteen full batches, each one
    /// sync (0.1–4 ms on our VM, `Benchmarks/README.md`) plus its jobs' own statements, so
    /// with jobs well under a millisecond a full queue drains in a fraction of a second and a
    /// waiting patient still gets an answer quickly, while a burst of a thousand is absorbed.
    public var queueCapacity: Int
    /// The most jobs committed together in one transaction. Default 64: one batch then holds
    /// the write lock for a few milliseconds at most, so another process's writer (the CLI)
    /// waits only briefly, and a COMMIT that fails fails at most 64 callers.
    public var maxBatchJobs: Int
    /// How long the writer may wait for more jobs after the first job of a batch was queued.
    /// Measured from that job's arrival, so under load (jobs already queued during the previous
    /// COMMIT) there is no extra wait at all; a lone write waits at most this long. Default
    /// 2 ms, what a lone write may pay: at most half of one slow sync on our VM (4 ms,
    /// `Benchmarks/README.md`). On a disk that always syncs in 0.1 ms a smaller value serves
    /// single writes better; batches still form from the jobs queued during each COMMIT.
    public var maxBatchWait: Duration

    /// Creates limits; every count must be at least 1 and the wait must not be negative.
    public init(queueCapacity: Int = 1024, maxBatchJobs: Int = 64, maxBatchWait: Duration = .milliseconds(2)) {
        precondition(queueCapacity >= 1 && maxBatchJobs >= 1 && maxBatchWait >= .zero, "invalid writer limits")
        self.queueCapacity = queueCapacity
        self.maxBatchJobs = maxBatchJobs
        self.maxBatchWait = maxBatchWait
    }
}
