/// What `Backup.verify` found in a backup that passed every check.
public struct BackupVerification: Sendable, Hashable {
    /// The backup file that was checked.
    public let path: String
    /// Lowercase hex SHA-256 of the file as checked.
    public let sha256: String
    /// The sidecar, when there was one (its SHA-256 then matched the file).
    public let manifest: BackupManifest?
    /// The copy's migrations, in order: a prefix of this build's `Schema.migrations`.
    public let migrations: [String]

    /// How many of this build's migrations the server will apply when it starts on the copy.
    public var pendingMigrations: Int { Schema.migrations.count - migrations.count }
}
