import Foundation
import Storage

/// `byneed restore`: verifies a backup, then makes it the database of a data directory
/// (docs/backup-and-restore.md).
enum RestoreCommand: Command {
    static let valueOptions: Set<String> = ["data-dir"]
    static let flagOptions: Set<String> = []
    static let positionalCount = 1...1
    static let help = """
        usage: byneed restore FILE [--data-dir DIR]

        Checks the backup FILE first: PRAGMA integrity_check, its SHA-256 against the sidecar
        FILE.json when there is one, its migrations against this build's, and the audit chain.
        Then, with the server on DIR (default ./data) stopped, copies it into DIR (created when
        missing) and puts it in place of byneed.sqlite; the database it replaces is kept as
        byneed.sqlite.before-restore-<time>. Nothing is replaced when a check fails or the
        database is in use (exit code 1).
        """

    static func run(_ options: Options) async throws -> Int32 {
        let result = try Backup.restore(options.positional[0], into: CommonOptions.dataDirectory(options))
        let verification = result.verification
        say("Verified: \(verification.path): integrity ok, \(verification.migrations.count) migrations"
            + (verification.pendingMigrations > 0 ? " (\(verification.pendingMigrations) more will run at the next start)" : "")
            + (verification.manifest == nil ? ", no sidecar (SHA-256 not compared)" : ", SHA-256 matches the sidecar"))
        say("Restored: \(result.databasePath)")
        if let previous = result.previousDatabasePath {
            say("Previous database kept as \(previous)")
        }
        result.movedAside.forEach { say("Moved aside: \($0)") }
        return 0
    }
}
