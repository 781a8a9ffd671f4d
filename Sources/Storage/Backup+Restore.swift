import Foundation
import SQLite

// MARK: - Restore

extension Backup {
    /// Verifies the backup at `backupPath` (`verify`), then makes it the database of
    /// `dataDirectory` (created when missing); returns what was done.
    ///
    /// Nothing is replaced unless every check passed and the copy is complete: the backup is
    /// copied to a temporary file in the data directory, fsynced and compared by SHA-256 with
    /// the verified file; only then is the old database given a second name
    /// `byneed.sqlite.before-restore-<UTC time>` (a hard link, so `byneed.sqlite` never goes
    /// missing), its `-wal`, `-shm` and `-journal` moved aside under that name, and the copy
    /// renamed over `byneed.sqlite`. Moving the old log matters: a `-wal` left beside the
    /// restored file would be replayed into it at the next open and corrupt it.
    ///
    /// Refuses with `inUse` while another connection holds the old database (checked before
    /// the copy and again just before the swap; see `ensureNotInUse`).
    public static func restore(_ backupPath: String, into dataDirectory: String,
                               now: Date = Date()) throws(BackupError) -> BackupRestoreResult {
        let verification = try verify(backupPath)
        let live = absolute((dataDirectory as NSString).appendingPathComponent(databaseFileName))
        let hadDatabase = BackupFileSystem.exists(live)
        if hadDatabase {
            guard !BackupFileSystem.sameFile(backupPath, live) else { throw .sameFile(path: live) }
            try ensureNotInUse(live)
        } else {
            try makeDirectory(dataDirectory)
        }
        let temporary = BackupFileSystem.temporaryName(for: live, label: "restoring")
        let previous = live + ".before-restore-" + stamp(now)
        var linked = false
        do throws(BackupError) {
            try BackupFileSystem.copy(backupPath, to: temporary)
            let copied = try BackupFileSystem.sha256(temporary)
            guard copied == verification.sha256 else {
                throw .checksumMismatch(path: temporary, expected: verification.sha256, actual: copied)
            }
            if hadDatabase {
                try ensureNotInUse(live)
                try BackupFileSystem.link(live, as: previous)
                linked = true
            }
            var moved: [String] = []
            for sibling in BackupFileSystem.siblings(of: live) where BackupFileSystem.exists(sibling.path) {
                try BackupFileSystem.rename(sibling.path, to: previous + sibling.suffix)
                moved.append(previous + sibling.suffix)
            }
            try BackupFileSystem.rename(temporary, to: live)
            try BackupFileSystem.syncDirectory(of: live)
            return BackupRestoreResult(verification: verification, databasePath: live,
                                       previousDatabasePath: hadDatabase ? previous : nil, movedAside: moved)
        } catch {
            BackupFileSystem.removeIfPresent(linked ? [temporary, previous] : [temporary])
            throw error
        }
    }

    /// Throws `inUse` when another connection has the database at `path` open.
    ///
    /// How: a connection in `locking_mode=EXCLUSIVE` runs `BEGIN EXCLUSIVE` with no busy
    /// timeout. In WAL mode every open connection of the server holds a shared lock on the
    /// database file for as long as it is open, idle or not, so the exclusive lock is refused
    /// at once while the server runs ("SQLite: PRAGMA locking_mode", "SQLite: Write-Ahead
    /// Logging" §8). Closing the probe, SQLite checkpoints any log a crashed server left and
    /// removes it; the database's content is unchanged. A file that is not a database cannot
    /// be in use by a server and is not refused (that may be why it is being restored).
    static func ensureNotInUse(_ path: String) throws(BackupError) {
        let probe = try open(path, mode: .readWrite(create: false), busyTimeout: .zero)
        do {
            try probe.execute("PRAGMA locking_mode=EXCLUSIVE")
            try probe.execute("BEGIN EXCLUSIVE")
            try probe.execute("COMMIT")
        } catch where error.isBusy {
            throw .inUse(path: path)
        } catch {
            return
        }
    }

    /// Creates `path` and its parents (0700: the folder will hold health data) when missing.
    private static func makeDirectory(_ path: String) throws(BackupError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .fileSystem(path: path, operation: "create directory", errno: BackupFileSystem.errorNumber(error))
        }
    }

    /// `now` as `20261122T063015Z`: sortable, and without the colons some tools trip over.
    private static func stamp(_ now: Date) -> String {
        Timestamp.string(now).filter { $0 != "-" && $0 != ":" }
    }
}
