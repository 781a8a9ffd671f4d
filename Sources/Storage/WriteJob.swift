import SQLite

/// One caller's write as the writer thread sees it: the work, and how to answer the caller.
///
/// The caller's value is not handed over when the body returns but only after its batch has
/// committed: `perform` returns a `Delivery` that the writer calls after COMMIT returned, or
/// drops in favour of `fail` when the batch did not commit. Each job is answered exactly once.
struct WriteJob: Sendable {
    /// Resumes the caller with the value its body produced.
    typealias Delivery = @Sendable () -> Void

    /// Runs the caller's body on the writer's connection, inside the job's savepoint.
    let perform: @Sendable (Connection) throws -> Delivery
    /// Resumes the caller with an error.
    let fail: @Sendable (any Error) -> Void
    /// When the job was queued; a batch waits for company at most `maxBatchWait` after this.
    let enqueued: ContinuousClock.Instant
}
