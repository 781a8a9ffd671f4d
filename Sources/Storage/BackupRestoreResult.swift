/// What `Backup.restore` did.
public struct BackupRestoreResult: Sendable, Hashable {
    /// The checks the backup passed before anything was replaced.
    public let verification: BackupVerification
    /// The restored database file (`<data-dir>/byneed.sqlite`).
    public let databasePath: String
    /// Where the database that was replaced is kept, or nil when there was none.
    public let previousDatabasePath: String?
    /// The `-wal`, `-shm` and `-journal` files of the replaced database, moved aside under
    /// the previous database's name (so that one still opens with its own log).
    public let movedAside: [String]
}
