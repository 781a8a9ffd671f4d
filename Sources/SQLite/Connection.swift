internal import CSQLite

/// One open SQLite database connection.
///
/// Thread confinement: a `Connection` and its statements must be used by one thread (or one
/// actor) at a time, which is why neither is `Sendable`. It is opened with
/// `SQLITE_OPEN_NOMUTEX` ("SQLite: Using SQLite In Multi-Threaded Applications", multi-thread
/// mode): SQLite does not lock inside the connection, since confinement already guarantees no
/// concurrent use, and the per-call mutex would only cost time. Concurrency across connections
/// (the single writer and the readers) is handled by SQLite's file locks and WAL.
///
/// Extended result codes are enabled, so errors carry both primary and extended codes.
/// The connection closes in `deinit` with `sqlite3_close_v2`; statements keep their connection
/// alive, so it is closed only after the last statement is finalised.
public final class Connection {
    /// How to open the database file.
    public enum Mode: Sendable, Hashable {
        /// Read and write; `create` also creates the file when it does not exist.
        case readWrite(create: Bool)
        /// Read only; writes fail with an error whose `isReadOnly` is true.
        case readOnly
    }

    /// The transaction types of "SQLite: BEGIN TRANSACTION".
    public enum TransactionKind: String, Sendable, Hashable {
        /// Locks are taken when the first read or write happens.
        case deferred = "DEFERRED"
        /// The write lock is taken at BEGIN, so a busy conflict surfaces before any work.
        case immediate = "IMMEDIATE"
        /// Like immediate; in WAL mode the two are the same.
        case exclusive = "EXCLUSIVE"
    }

    let handle: OpaquePointer

    /// The path the connection was opened with.
    public let path: String

    /// Opens (and with `.readWrite(create: true)` creates) the database at `path`.
    ///
    /// `":memory:"` opens a private in-memory database.
    public init(path: String, mode: Mode = .readWrite(create: true)) throws(SQLiteError) {
        var flags = SQLITE_OPEN_NOMUTEX
        switch mode {
        case .readWrite(let create):
            flags |= SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)
        case .readOnly:
            flags |= SQLITE_OPEN_READONLY
        }
        var pointer: OpaquePointer?
        let status = sqlite3_open_v2(path, &pointer, flags, nil)
        guard status == SQLITE_OK, let pointer else {
            let message = pointer.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(status))
            sqlite3_close_v2(pointer)
            throw SQLiteError(extendedCode: status, message: "cannot open \(path): \(message)", sql: nil)
        }
        sqlite3_extended_result_codes(pointer, 1)
        self.handle = pointer
        self.path = path
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    // MARK: - Running SQL

    /// Runs one or more `;`-separated statements without parameters (schema, pragmas).
    public func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard status == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            throw SQLiteError(extendedCode: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    /// Compiles exactly one statement; trailing SQL after the first statement is an error,
    /// so nothing is silently ignored.
    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        try Statement(connection: self, sql: sql)
    }

    /// Runs one statement with bound `parameters` and returns `changes`: the rows an INSERT,
    /// UPDATE or DELETE changed (for other statements, the count of the last such statement).
    @discardableResult
    public func run(_ sql: String, _ parameters: [SQLValue] = []) throws(SQLiteError) -> Int {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        while try statement.step() != nil {}
        return changes
    }

    /// Runs one query with bound `parameters` and returns all its rows.
    public func query(_ sql: String, _ parameters: [SQLValue] = []) throws(SQLiteError) -> [Row] {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        var rows: [Row] = []
        while let row = try statement.step() {
            rows.append(row)
        }
        return rows
    }

    /// Runs one query and returns its first row, or nil when there is none.
    public func queryOne(_ sql: String, _ parameters: [SQLValue] = []) throws(SQLiteError) -> Row? {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        return try statement.step()
    }

    /// The rowid of the most recent successful INSERT on this connection
    /// ("SQLite: sqlite3_last_insert_rowid").
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// The number of rows changed by the most recent INSERT, UPDATE or DELETE
    /// ("SQLite: sqlite3_changes64").
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    /// True while a transaction is open on this connection (`sqlite3_get_autocommit` is 0).
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    // MARK: - Errors

    /// The connection's current error, attributed to `sql`.
    func lastError(sql: String?) -> SQLiteError {
        SQLiteError(extendedCode: sqlite3_extended_errcode(handle),
                    message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}
