import Foundation
import SQLite
import Synchronization

/// The SQLite database of one ByNeed installation: one writer, many readers.
///
/// SQLite allows one writer at a time; rather than let request tasks queue on the file lock
/// (and sit in `busy_timeout` while holding a cooperative thread), every write is a job for
/// one dedicated writer thread with its own connection. The writer commits the jobs queued
/// together in one `BEGIN IMMEDIATE` transaction (group commit), each job in its own
/// savepoint, and a caller resumes only after its batch's COMMIT has returned, so a caller
/// that acknowledges after `write` acknowledges only what is durable (`synchronous=FULL`,
/// "SQLite: PRAGMA synchronous"). The queue is bounded (`WriterLimits`): when it is full a
/// write is refused at once with `StorageError.overloaded` rather than queued behind work that
/// cannot finish in time. Readers use a small pool of connections; in WAL mode they never
/// block the writer or each other ("SQLite: Write-Ahead Logging").
public final class Database: Sendable {
    /// The database file's path.
    public let path: String
    private let writer: WriterThread
    /// Idle reader connections; nil once the database is closed.
    private let readerPool: Mutex<[PooledConnection]?>

    /// Opens `byneed.sqlite` in `directory` and brings its schema up to date. A command that
    /// should only ever work on an existing installation passes `createIfMissing: false`, so
    /// a mistyped `--data-dir` is an error instead of a new, empty database.
    /// `writerLimits` bounds the write queue and the group commits (defaults documented there).
    public init(directory: String, createIfMissing: Bool = true, busyTimeout: Duration = .seconds(5),
                writerLimits: WriterLimits = WriterLimits()) throws {
        path = (directory as NSString).appendingPathComponent("byneed.sqlite")
        if createIfMissing {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } else if !FileManager.default.fileExists(atPath: path) {
            throw StorageError.missingDatabase(path: path)
        }
        let connection = try Self.open(path: path, busyTimeout: busyTimeout)
        try Migrator(Schema.migrations).migrate(connection)
        writer = WriterThread(connection: PooledConnection(connection), limits: writerLimits)
        readerPool = Mutex([])
        self.busyTimeout = busyTimeout
    }

    deinit {
        close()
    }

    /// A read-only connection to an existing database, for commands that must not change
    /// anything (the triage replay); it fails when there is no database in `directory`.
    public static func openReadOnly(directory: String) throws -> Connection {
        let path = (directory as NSString).appendingPathComponent("byneed.sqlite")
        guard FileManager.default.fileExists(atPath: path) else { throw StorageError.missingDatabase(path: path) }
        return try Connection(path: path, mode: .readOnly)
    }

    private let busyTimeout: Duration

    private static func open(path: String, busyTimeout: Duration) throws -> Connection {
        let connection = try Connection(path: path, mode: .readWrite(create: true))
        try connection.configureForServer(busyTimeout: busyTimeout)
        return connection
    }

    /// Runs `body` on the writer thread inside its own savepoint of a group-commit transaction
    /// and returns after that transaction's COMMIT has returned.
    ///
    /// A thrown error rolls back only this body's changes and is rethrown here; the jobs
    /// committed with it are not affected. If the transaction itself cannot commit, this
    /// throws its error although the body succeeded: a returned value always means "durable".
    /// Throws `StorageError.overloaded` at once when the write queue is full, and
    /// `StorageError.closed` once `close()` has begun. The body must not open a transaction of
    /// its own (the wrapper refuses nested transactions) and must not leave a deferred
    /// constraint unresolved (that would fail every job of its batch at COMMIT).
    public func write<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let job = WriteJob(
                perform: { connection in
                    let value = try body(connection)
                    return { continuation.resume(returning: value) }
                },
                fail: { continuation.resume(throwing: $0) },
                enqueued: .now)
            do {
                try writer.submit(job)
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    /// The writer's counters now: queue depth, batches, batch sizes and commit times.
    public var statistics: DatabaseStatistics { writer.snapshot }

    /// Runs `body` on a pooled read connection inside one read transaction, so every query in
    /// it sees the same snapshot.
    public func read<T>(_ body: (Connection) throws -> T) throws -> T {
        let checkout: PooledConnection?? = readerPool.withLock { pool in
            pool == nil ? nil : .some(pool?.popLast())
        }
        guard let idle = checkout else { throw StorageError.closed }
        let pooled = try idle ?? PooledConnection(Self.open(path: path, busyTimeout: busyTimeout))
        defer { readerPool.withLock { $0?.append(pooled) } }
        return try pooled.connection.transaction(.deferred) { try body(pooled.connection) }
    }

    /// Finishes the queued writes, then closes the writer and the idle readers; later reads
    /// and writes fail with `closed`. Closing twice is harmless.
    public func close() {
        writer.stop()
        readerPool.withLock { $0 = nil }
    }
}

/// A connection handed between threads whole: it is used by one thread at a time (the
/// writer thread, or the reader that checked it out of the pool), which makes the unchecked
/// `Sendable` safe.
final class PooledConnection: @unchecked Sendable {
    let connection: Connection
    init(_ connection: Connection) { self.connection = connection }
}

/// Errors of the storage layer that are not SQLite's own.
public enum StorageError: Error, CustomStringConvertible {
    /// The database was closed (the server is shutting down).
    case closed
    /// The write queue is full (`WriterLimits.queueCapacity` jobs wait); nothing was queued,
    /// and the caller should tell its client to retry shortly (HTTP 503 with Retry-After).
    case overloaded(queueCapacity: Int)
    /// A stored value could not be read back (names the table and column).
    case corruptValue(table: String, column: String)
    /// There is no database where one was expected.
    case missingDatabase(path: String)
    /// The patient already runs in this plan; pause, change or end that enrolment instead.
    case alreadyEnrolled(planID: String)
    /// A change that does not fit the record's current state (resuming what is not paused).
    case invalidChange(String)
    /// The record a change names does not exist.
    case notFound(String)

    public var description: String {
        switch self {
        case .closed: "the database is closed"
        case .overloaded(let capacity): "the database is overloaded (\(capacity) writes already wait)"
        case .missingDatabase(let path): "no ByNeed database at \(path) (check --data-dir)"
        case .corruptValue(let table, let column): "unreadable value in \(table).\(column)"
        case .alreadyEnrolled(let planID): "the patient is already enrolled in \(planID)"
        case .invalidChange(let reason): reason
        case .notFound(let what): "no such \(what)"
        }
    }
}
