/// How far an online backup has come: the state after one `sqlite3_backup_step`.
///
/// Both counts are SQLite's own ("SQLite: sqlite3_backup_remaining, sqlite3_backup_pagecount"),
/// taken after the step; they describe the source database as of the snapshot being copied.
public struct BackupProgress: Sendable, Hashable {
    /// Pages still to copy.
    public let remainingPages: Int
    /// Pages in the source database.
    public let totalPages: Int

    /// Creates a progress value.
    public init(remainingPages: Int, totalPages: Int) {
        self.remainingPages = remainingPages
        self.totalPages = totalPages
    }
}
