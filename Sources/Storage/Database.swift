import Foundation
import SQLite
import Synchronization

/// The SQLite database of one ByNeed installation: one writer, many readers.
///
/// SQLite allows one writer at a time; rather than let request tasks queue on the file lock
/// (and sit in `busy_timeout` while holding a cooperative thread), every write is a job for
/// one dedicated writer thread with its own connection. A job runs in its own
/// `BEGIN IMMEDIATE` transaction and its caller resumes only after COMMIT has returned, so a
/// caller that acknowledges after `write` acknowledges only what is durable
/// (`synchronous=FULL`, SQLite: "PRAGMA synchronous"). Readers use a small pool of
/// connections; in WAL mode they never block the writer or each other.
public final class Database: Sendable {
    /// The database file's path.
    public let path: String
    private let writer: WriterThread
    /// Idle reader connections; nil once the database is closed.
    private let readerPool: Mutex<[PooledConnection]?>

    /// Opens `byneed.sqlite` in `directory` and brings its schema up to date. A command that
    /// should only ever work on an existing installation passes `createIfMissing: false`, so
    /// a mistyped `--data-dir` is an error instead of a new, empty database.
    public init(directory: String, createIfMissing: Bool = true, busyTimeout: Duration = .seconds(5)) throws {
        path = (directory as NSString).appendingPathComponent("byneed.sqlite")
        if createIfMissing {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } else if !FileManager.default.fileExists(atPath: path) {
            throw StorageError.missingDatabase(path: path)
        }
        let connection = try Self.open(path: path, busyTimeout: busyTimeout)
        try Migrator(Schema.migrations).migrate(connection)
        writer = WriterThread(connection: PooledConnection(connection))
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

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction on the writer thread and returns after
    /// COMMIT; a thrown error rolls the whole transaction back and is rethrown here.
    public func write<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let accepted = writer.submit { connection in
                do {
                    let value = try connection.transaction(.immediate) { try body(connection) }
                    continuation.resume(returning: value)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            if !accepted { continuation.resume(throwing: StorageError.closed) }
        }
    }

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

/// The one thread that writes. Jobs run in submission order.
final class WriterThread: @unchecked Sendable {
    // Invariant: `jobs`, `stopping` and `finished` are read and written only while `condition` is locked;
    // `pooled.connection` is used only on the writer thread (and closed there at the end).
    private let condition = NSCondition()
    private var jobs: [@Sendable (Connection) -> Void] = []
    private var stopping = false
    private var finished = false
    private let pooled: PooledConnection

    init(connection: PooledConnection) {
        pooled = connection
        let thread = Thread { [self] in run() }
        thread.name = "byneed-writer"
        thread.start()
    }

    /// Queues a job; false when the writer is stopping.
    func submit(_ job: @escaping @Sendable (Connection) -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// Lets queued jobs finish and waits until the thread has ended.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = jobs
            jobs.removeAll()
            condition.unlock()
            for job in batch { job(pooled.connection) }
        }
    }
}

/// Errors of the storage layer that are not SQLite's own.
public enum StorageError: Error, CustomStringConvertible {
    /// The database was closed (the server is shutting down).
    case closed
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
        case .missingDatabase(let path): "no ByNeed database at \(path) (check --data-dir)"
        case .corruptValue(let table, let column): "unreadable value in \(table).\(column)"
        case .alreadyEnrolled(let planID): "the patient is already enrolled in \(planID)"
        case .invalidChange(let reason): reason
        case .notFound(let what): "no such \(what)"
        }
    }
}
