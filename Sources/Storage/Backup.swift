import Foundation
import SQLite

/// Backups of a ByNeed database while the server runs, and their verified restore
/// (docs/backup-and-restore.md).
///
/// A backup is one consistent snapshot: SQLite's online backup API copies the live database
/// from a separate read connection inside one read transaction, so the copy holds every
/// transaction committed before the copy began and nothing half-done, while the server keeps
/// committing (WAL mode: readers never block the writer). The copy is written to a temporary
/// file next to the target, checked with `PRAGMA integrity_check`, fsynced and renamed into
/// place; a failure at any step removes the temporary file, so a target either holds a whole,
/// verified backup or is not there.
public enum Backup {
    /// The database file's name inside a data directory (as `Database` names it).
    public static let databaseFileName = "byneed.sqlite"

    /// Copies the database in `dataDirectory` to `target` and writes the sidecar
    /// `<target>.json` (`BackupManifest`); returns the manifest.
    ///
    /// Refuses an existing target (or sidecar) unless `overwrite`, and always a target that is
    /// the live database or one of its `-wal`, `-shm`, `-journal` files. The copy is made in
    /// rollback-journal mode, so it is one self-contained file (no `-wal` beside it).
    public static func create(dataDirectory: String, target: String, overwrite: Bool = false,
                              limits: BackupLimits = BackupLimits(), now: Date = Date()) throws(BackupError) -> BackupManifest {
        let source = absolute((dataDirectory as NSString).appendingPathComponent(databaseFileName))
        guard BackupFileSystem.exists(source) else { throw .missingDatabase(path: source) }
        let sidecar = BackupManifest.path(for: target)
        let live = [source] + BackupFileSystem.siblings(of: source).map(\.path)
        guard !live.contains(where: { BackupFileSystem.sameFile($0, target) || $0 == absolute(target) }) else {
            throw .sameFile(path: target)
        }
        if !overwrite {
            for path in [target, sidecar] where BackupFileSystem.exists(path) { throw .targetExists(path: path) }
        }
        let partial = BackupFileSystem.temporaryName(for: target, label: "partial")
        let partialSidecar = BackupFileSystem.temporaryName(for: sidecar, label: "partial")
        let temporaries = [partial, partialSidecar] + BackupFileSystem.siblings(of: partial).map(\.path)
        // Once renamed, a backup that then fails (its sidecar's rename, the directory's fsync)
        // is removed as well: a failed command leaves no backup that looks finished.
        var placed = false
        do throws(BackupError) {
            try BackupFileSystem.createExclusive(partial)
            try copy(from: source, to: partial, limits: limits)
            let manifest = try describe(partial, source: source, createdAt: now)
            try BackupFileSystem.sync(partial)
            try BackupFileSystem.write(manifest.json.serializedBytes(pretty: true) + [0x0A], to: partialSidecar)
            try BackupFileSystem.rename(partial, to: target)
            placed = true
            try BackupFileSystem.rename(partialSidecar, to: sidecar)
            try BackupFileSystem.syncDirectory(of: target)
            return manifest
        } catch {
            BackupFileSystem.removeIfPresent(temporaries + (placed ? [target, sidecar] : []))
            throw error
        }
    }

    // MARK: - Steps

    /// Copies one snapshot of `source` into the empty file `destination`, leaves it in
    /// rollback-journal mode, and checks its integrity.
    private static func copy(from source: String, to destination: String, limits: BackupLimits) throws(BackupError) {
        let reader = try open(source, mode: .readOnly)
        let writer = try open(destination, mode: .readWrite(create: false))
        try run(on: writer, path: destination) { () throws(SQLiteError) in
            // The copy is a temporary file that is deleted on any failure: it needs no journal.
            try writer.execute("PRAGMA journal_mode=OFF")
        }
        do {
            try reader.backup(into: writer, pagesPerStep: limits.pagesPerStep) { _ in
                if limits.pauseBetweenSteps > .zero { Thread.sleep(forTimeInterval: seconds(limits.pauseBetweenSteps)) }
            }
        } catch {
            // SQLite reports a step's error on the destination whichever side failed.
            let systemErrno = writer.systemErrorNumber != 0 ? writer.systemErrorNumber : reader.systemErrorNumber
            throw .copy(source: source, destination: destination, error: error, systemErrno: systemErrno)
        }
        try run(on: writer, path: destination) { () throws(SQLiteError) in
            // The source is in WAL mode and the copy took over its header, so it would open in
            // WAL mode too; a backup is one file, without a write-ahead log beside it.
            _ = try writer.query("PRAGMA journal_mode=DELETE")
        }
        try checkIntegrity(writer, path: destination)
    }

    /// The manifest of the finished copy at `path` (closed, in its final state).
    private static func describe(_ path: String, source: String, createdAt: Date) throws(BackupError) -> BackupManifest {
        let connection = try open(path, mode: .readOnly)
        let digest = try BackupFileSystem.sha256(path)
        return try run(on: connection, path: path) { () throws(SQLiteError) in
            BackupManifest(
                createdAt: createdAt, source: source,
                pageSize: Int(try connection.queryOne("PRAGMA page_size")?[0].int64 ?? 0),
                pageCount: Int(try connection.queryOne("PRAGMA page_count")?[0].int64 ?? 0),
                bytes: BackupFileSystem.size(path) ?? 0,
                sqliteVersion: try connection.queryOne("SELECT sqlite_version()")?[0].string ?? "unknown",
                migrations: try migrationNames(connection),
                sha256: digest)
        }
    }

    // MARK: - Shared helpers

    /// Opens `path` with a busy timeout; a failure names the path and the OS reason.
    static func open(_ path: String, mode: Connection.Mode, busyTimeout: Duration = .seconds(5)) throws(BackupError) -> Connection {
        do {
            let connection = try Connection(path: path, mode: mode)
            connection.setBusyTimeout(busyTimeout)
            return connection
        } catch {
            throw .database(path: path, error: error, systemErrno: 0)
        }
    }

    /// Runs `body`, turning an SQLite error into `.database` for `path` (with the OS reason).
    @discardableResult
    static func run<T>(on connection: Connection, path: String, _ body: () throws(SQLiteError) -> T) throws(BackupError) -> T {
        do {
            return try body()
        } catch {
            throw .database(path: path, error: error, systemErrno: connection.systemErrorNumber)
        }
    }

    /// `PRAGMA integrity_check`; throws `.integrity` with the first ten problems.
    static func checkIntegrity(_ connection: Connection, path: String) throws(BackupError) {
        let problems = try run(on: connection, path: path) { () throws(SQLiteError) in try connection.integrityCheck() }
        guard problems.isEmpty else { throw .integrity(path: path, problems: Array(problems.prefix(10))) }
    }

    /// The migration names recorded in `schema_migrations`, in order (none without the table).
    static func migrationNames(_ connection: Connection) throws(SQLiteError) -> [String] {
        let table = try connection.queryOne("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'")
        guard table != nil else { return [] }
        var names: [String] = []
        for row in try connection.query("SELECT name FROM schema_migrations ORDER BY position") {
            names.append(try row.string("name"))
        }
        return names
    }

    /// `path` made absolute against the current directory.
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        TimeInterval(duration.components.seconds) + TimeInterval(duration.components.attoseconds) * 1e-18
    }
}
