import Foundation
import SQLite

/// Why a backup or a restore was refused or failed. Every case names the file it is about;
/// when a case is thrown, nothing was left half-written and nothing was replaced.
public enum BackupError: Error, Sendable, CustomStringConvertible {
    /// There is no ByNeed database to back up or to restore from.
    case missingDatabase(path: String)
    /// The backup target exists already; `byneed backup --force` replaces it.
    case targetExists(path: String)
    /// A file-system call failed with `errno` (ENOSPC, EROFS, EACCES, ENOTDIR, …).
    case fileSystem(path: String, operation: String, errno: Int32)
    /// SQLite failed on `path`; `systemErrno` is the OS error behind it, or 0.
    case database(path: String, error: SQLiteError, systemErrno: Int32)
    /// The online backup from `source` into `destination` failed; `systemErrno` is the OS
    /// error behind it (on either side), or 0.
    case copy(source: String, destination: String, error: SQLiteError, systemErrno: Int32)
    /// `PRAGMA integrity_check` reported problems (the first few are kept).
    case integrity(path: String, problems: [String])
    /// The file's SHA-256 differs from the one its sidecar recorded.
    case checksumMismatch(path: String, expected: String, actual: String)
    /// The sidecar `<backup>.json` exists but cannot be read or does not describe a backup.
    case manifest(path: String, reason: String)
    /// The copy's migrations are not a prefix of this build's `Schema.migrations` (none: the
    /// file is not a ByNeed database).
    case migrations(path: String, found: [String])
    /// The file has a non-empty write-ahead log beside it: it is a live database, and a copy
    /// of the file alone would miss committed transactions.
    case liveDatabase(path: String)
    /// Another connection (a running server, a CLI command) holds the database.
    case inUse(path: String)
    /// The audit log's hash chain does not verify (see `Backup.verifyAuditChain`).
    case auditChain(path: String, reason: String)
    /// A backup's target, or a backup to restore, is the live database itself.
    case sameFile(path: String)

    public var description: String {
        switch self {
        case .missingDatabase(let path):
            "no ByNeed database at \(path) (check --data-dir)"
        case .targetExists(let path):
            "\(path) exists already; choose another name or pass --force to replace it"
        case .fileSystem(let path, let operation, let errno):
            "cannot \(operation) \(path): \(Self.reason(errno: errno))"
        case .database(let path, let error, let systemErrno):
            "SQLite failed on \(path): \(Self.reason(of: error))"
                + (systemErrno == 0 ? "" : " (\(Self.reason(errno: systemErrno)))")
        case .copy(let source, let destination, let error, let systemErrno):
            "cannot copy \(source) to \(destination): \(Self.reason(of: error))"
                + (systemErrno == 0 ? "" : " (\(Self.reason(errno: systemErrno)))")
        case .integrity(let path, let problems):
            "\(path) fails PRAGMA integrity_check: \(problems.joined(separator: "; "))"
        case .checksumMismatch(let path, let expected, let actual):
            "\(path) has SHA-256 \(actual), but its sidecar recorded \(expected): the file was changed or damaged"
        case .manifest(let path, let reason):
            "cannot use the backup sidecar \(path): \(reason)"
        case .migrations(let path, let found) where found.isEmpty:
            "\(path) has no schema_migrations: it is not a ByNeed database"
        case .migrations(let path, let found):
            "\(path) has migrations this build does not know or orders differently "
                + "(\(found.joined(separator: ", "))); restore it with the ByNeed version that made it"
        case .liveDatabase(let path):
            "\(path) has a write-ahead log (\(path)-wal) beside it: it is a live database, not a backup; "
                + "make a backup with 'byneed backup' instead"
        case .inUse(let path):
            "\(path) is in use by another process (a running server?); stop it first"
        case .auditChain(let path, let reason):
            "the audit chain in \(path) does not verify: \(reason)"
        case .sameFile(let path):
            "\(path) is the live database itself; a backup is always another file"
        }
    }

    /// `strerror` text with the symbolic name, e.g. "No space left on device (ENOSPC)".
    static func reason(errno: Int32) -> String {
        let names: [Int32: String] = [ENOSPC: "ENOSPC", EROFS: "EROFS", EACCES: "EACCES", EPERM: "EPERM",
                                      ENOTDIR: "ENOTDIR", ENOENT: "ENOENT", EEXIST: "EEXIST", EFBIG: "EFBIG",
                                      EDQUOT: "EDQUOT", EIO: "EIO", EXDEV: "EXDEV", EISDIR: "EISDIR"]
        let text = String(cString: strerror(errno))
        return names[errno].map { "\(text) (\($0))" } ?? "\(text) (errno \(errno))"
    }

    /// SQLite's reason in words an operator acts on: a full disk is named as such.
    private static func reason(of error: SQLiteError) -> String {
        error.isFull ? "the disk is full (SQLITE_FULL)" : error.description
    }
}
