// MARK: - Transactions

extension Connection {
    /// Runs `body` inside one transaction: BEGIN, then COMMIT when it returns, or ROLLBACK when
    /// it throws (the body's error is rethrown unchanged).
    ///
    /// The default `.immediate` takes the write lock at BEGIN ("SQLite: BEGIN TRANSACTION"),
    /// so a writer waits in `busy_timeout` before doing work, never halfway through it.
    /// Nesting is a programming error (SQLite has no nested BEGIN; savepoints would silently
    /// change what "committed" means) and throws an error with code SQLITE_MISUSE without
    /// touching the open transaction. If COMMIT fails, the transaction is rolled back and the
    /// COMMIT error is thrown, so the connection is never left inside a transaction.
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        guard !isInTransaction else {
            throw SQLiteError.misuse("nested transaction: a transaction is already open on this connection")
        }
        try execute("BEGIN \(kind.rawValue)")
        let result: T
        do {
            result = try body()
        } catch {
            rollbackIfOpen()
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            rollbackIfOpen()
            throw error
        }
        return result
    }

    /// Rolls back the open transaction, if SQLite has not already done so itself (it does after
    /// some errors, e.g. SQLITE_FULL). A failing ROLLBACK is ignored: the original error is the
    /// one worth reporting, and SQLite rolls back when the connection closes anyway.
    private func rollbackIfOpen() {
        guard isInTransaction else { return }
        try? execute("ROLLBACK")
    }
}
