import SQLite
import Storage

/// A storage failure that is a condition of the database or its disk, not a bug: the request was
/// fine, the database cannot take it now, and the same request will work once the condition
/// clears. Such failures are answered 503 with `Retry-After` (RFC 9110 §15.6.4, §10.2.3) and
/// never as 500 or, worse, as a success; readers are unaffected by most of them (WAL readers
/// need no lock and write nothing), so pages keep being shown.
///
/// The SQLite result codes are those of "SQLite: Result and Error Codes".
enum OperationsStorageFault: String, Sendable, CaseIterable {
    /// The writer's queue is full (`StorageError.overloaded`).
    case overloaded
    /// Another process holds the write lock past the busy timeout (SQLITE_BUSY, SQLITE_LOCKED).
    case busy
    /// The database or its file system is read-only (SQLITE_READONLY).
    case readOnly = "read-only"
    /// The disk is full (SQLITE_FULL).
    case diskFull = "disk-full"
    /// Reading or writing the file failed (SQLITE_IOERR; SQLITE_CANTOPEN): an immutable or
    /// vanished file, a failing disk.
    case ioError = "io-error"

    /// SQLITE_LOCKED: a conflict inside this process's shared cache; treated like busy.
    private static let sqliteLocked: Int32 = 6
    /// SQLITE_IOERR, the primary code of every I/O error.
    private static let sqliteIOError: Int32 = 10
    /// SQLITE_CANTOPEN: a (reader) connection could not open the file.
    private static let sqliteCannotOpen: Int32 = 14

    /// The fault an error stands for; nil for every other error (a bug: 500 with an incident).
    /// `StorageError.closed` is one of those: the server drains its requests before it closes
    /// the database, so a request that meets a closed database shows a bug in that order.
    init?(_ error: any Error) {
        switch error {
        case StorageError.overloaded: self = .overloaded
        case let error as SQLiteError:
            if error.isBusy || error.code == Self.sqliteLocked {
                self = .busy
            } else if error.isReadOnly {
                self = .readOnly
            } else if error.isFull {
                self = .diskFull
            } else if error.code == Self.sqliteIOError || error.code == Self.sqliteCannotOpen {
                self = .ioError
            } else {
                return nil
            }
        default: return nil
        }
    }

    /// Seconds a client should wait: a moment for a full queue, the busy timeout's order for a
    /// lock, and longer for conditions an operator must clear.
    var retryAfterSeconds: Int {
        switch self {
        case .overloaded: 1
        case .busy: 5
        case .readOnly, .diskFull, .ioError: 30
        }
    }

    /// Whether each occurrence deserves a log line. An overloaded queue refuses hundreds of
    /// writes a second and shows in `/metrics` as 503s; the others are rare and need an operator.
    var isLogged: Bool { self != .overloaded }
}
