internal import CSQLite

// MARK: - Configuration and health

extension Connection {
    /// Sets how long a statement waits for another connection's lock before failing with
    /// SQLITE_BUSY ("SQLite: sqlite3_busy_timeout"). Sub-millisecond parts are dropped.
    public func setBusyTimeout(_ timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        let milliseconds = max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        sqlite3_busy_timeout(handle, Int32(clamping: milliseconds))
    }

    /// Configures a file database for the server: `busy_timeout`, `journal_mode=WAL`
    /// (verified: throws unless SQLite answers "wal"), `synchronous=FULL`, `foreign_keys=ON`
    /// (verified).
    ///
    /// WAL lets readers run while the single writer commits ("SQLite: Write-Ahead Logging");
    /// FULL syncs the WAL on every commit, so an acknowledged answer survives power loss
    /// ("SQLite: PRAGMA synchronous"); foreign keys are off by default in SQLite and must be
    /// enabled per connection ("SQLite: Foreign Key Support" §2). Call it before any
    /// transaction; `foreign_keys` cannot change inside one.
    public func configureForServer(busyTimeout: Duration) throws(SQLiteError) {
        setBusyTimeout(busyTimeout)
        let journalMode = try queryOne("PRAGMA journal_mode=WAL")?[0].string?.lowercased()
        guard journalMode == "wal" else {
            throw SQLiteError(extendedCode: SQLITE_ERROR,
                              message: "journal_mode is \(journalMode ?? "unknown"), expected wal",
                              sql: "PRAGMA journal_mode=WAL")
        }
        try execute("PRAGMA synchronous=FULL")
        try execute("PRAGMA foreign_keys=ON")
        guard try queryOne("PRAGMA foreign_keys")?[0] == .integer(1) else {
            throw SQLiteError(extendedCode: SQLITE_ERROR, message: "foreign_keys could not be enabled",
                              sql: "PRAGMA foreign_keys=ON")
        }
    }

    /// Runs `PRAGMA integrity_check` and returns the problems it reports; an empty array means
    /// the database is healthy (SQLite's single "ok" row is not returned).
    public func integrityCheck() throws(SQLiteError) -> [String] {
        let messages = try query("PRAGMA integrity_check").map { $0[0].string ?? "\($0[0])" }
        return messages == ["ok"] ? [] : messages
    }
}
