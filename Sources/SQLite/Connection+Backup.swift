internal import CSQLite

// MARK: - Online backup

extension Connection {
    /// Copies this database, page by page, into `destination`'s main database with SQLite's
    /// online backup API ("SQLite: Online Backup API", `sqlite3_backup_init/step/finish`),
    /// `pagesPerStep` pages per step, calling `afterStep` between steps (to pause or report).
    ///
    /// Why one read transaction around the whole copy: `sqlite3_backup_step` opens a read
    /// transaction on the source only when none is open, and closes it again before it
    /// returns; when another connection commits between two steps, the next step starts the
    /// copy over ("SQLite: sqlite3_backup_step"), so under a steady stream of writes a
    /// step-wise copy may never finish. Here the read transaction is opened first and held
    /// until the last step, so every step reads the same snapshot and the copy is exactly the
    /// database as of its start. In WAL mode that costs writers nothing: readers never block
    /// the writer; a checkpoint just cannot move past the snapshot until the copy is done, so
    /// the WAL grows meanwhile ("SQLite: Write-Ahead Logging" §2.3).
    ///
    /// The destination is overwritten. Throws the destination's error when a step fails
    /// (e.g. SQLITE_FULL); the destination is then incomplete and should be discarded, and
    /// `destination.systemErrorNumber` tells the operating system's reason.
    /// - Returns: the final progress (no pages remaining).
    @discardableResult
    public func backup(into destination: Connection, pagesPerStep: Int,
                       afterStep: (BackupProgress) -> Void = { _ in }) throws(SQLiteError) -> BackupProgress {
        guard pagesPerStep > 0 else { throw .misuse("pagesPerStep must be positive, not \(pagesPerStep)") }
        guard !isInTransaction else { throw .misuse("backup needs its own read transaction; one is already open") }
        try execute("BEGIN DEFERRED")
        // The transaction only read; ending it cannot fail in a way that matters to the copy.
        defer { try? execute("COMMIT") }
        // The read transaction (the snapshot) starts with the first read, not at BEGIN DEFERRED.
        _ = try queryOne("SELECT count(*) FROM sqlite_schema")
        guard let backup = sqlite3_backup_init(destination.handle, "main", handle, "main") else {
            throw destination.lastError(sql: nil)
        }
        while true {
            let status = sqlite3_backup_step(backup, Int32(clamping: pagesPerStep))
            let progress = BackupProgress(remainingPages: Int(sqlite3_backup_remaining(backup)),
                                          totalPages: Int(sqlite3_backup_pagecount(backup)))
            guard status == SQLITE_OK else {
                // finish returns the step's error (or OK after DONE) and records it on the destination.
                guard sqlite3_backup_finish(backup) == SQLITE_OK, status == SQLITE_DONE else {
                    throw destination.lastError(sql: nil)
                }
                return progress
            }
            afterStep(progress)
        }
    }

    /// The operating system's error number (`errno`) behind this connection's most recent
    /// I/O error, or 0 ("SQLite: sqlite3_system_errno"): it tells ENOSPC from EFBIG or EROFS
    /// where SQLite's own code only says "disk I/O error".
    public var systemErrorNumber: Int32 { sqlite3_system_errno(handle) }
}
