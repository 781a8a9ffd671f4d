import Foundation
import Storage

/// `byneed backup`: a consistent copy of the database while the server runs
/// (docs/backup-and-restore.md).
enum BackupCommand: Command {
    static let valueOptions: Set<String> = ["data-dir"]
    static let flagOptions: Set<String> = ["force"]
    static let positionalCount = 1...1
    static let help = """
        usage: byneed backup FILE [--data-dir DIR] [--force]

        Copies the database in DIR (default ./data) to FILE with SQLite's online backup API; the
        server may keep running and accepting answers. The copy is one snapshot: every answer
        acknowledged before the backup began is in it. It is checked (PRAGMA integrity_check),
        synced to disk and only then renamed to FILE, with a sidecar FILE.json (time, source,
        pages, SQLite version, migrations, SHA-256). On any failure (full or read-only disk, no
        permission) nothing is left behind and the exit code is 1. An existing FILE is
        replaced only with --force.
        """

    static func run(_ options: Options) async throws -> Int32 {
        let target = options.positional[0]
        let manifest = try Backup.create(dataDirectory: CommonOptions.dataDirectory(options), target: target,
                                         overwrite: options.flag("force"))
        say("Backup written: \(target) (\(manifest.pageCount) pages, \(manifest.bytes) bytes, "
            + "\(manifest.migrations.count) migrations, sha256 \(manifest.sha256))")
        say("Sidecar: \(BackupManifest.path(for: target))")
        return 0
    }
}
