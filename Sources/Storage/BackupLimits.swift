/// How `Backup.create` paces its copy of a live database.
///
/// The copy reads one snapshot in WAL mode, so it never blocks the server's writer (see
/// `Connection.backup(into:pagesPerStep:afterStep:)`); pacing only spreads its disk reads
/// and writes so that the server's commits (each an fsync) do not queue behind a long burst.
public struct BackupLimits: Sendable, Hashable {
    /// Pages copied per `sqlite3_backup_step`. Default 256 (1 MiB with 4 KiB pages).
    public var pagesPerStep: Int
    /// The pause after each step. Default 1 ms: a 1 GiB database takes about one extra second.
    public var pauseBetweenSteps: Duration

    /// Creates limits; the defaults are documented on each property.
    public init(pagesPerStep: Int = 256, pauseBetweenSteps: Duration = .milliseconds(1)) {
        self.pagesPerStep = pagesPerStep
        self.pauseBetweenSteps = pauseBetweenSteps
    }
}
