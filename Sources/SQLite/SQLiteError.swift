internal import CSQLite

/// An error reported by SQLite, or a misuse of this wrapper, with the SQL that caused it.
///
/// Carries the primary and extended result codes ("SQLite: Result and Error Codes") and
/// SQLite's message. The SQL text is kept for diagnosis; bound values never are, because they
/// may be health data or tokens.
public struct SQLiteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The primary result code (the low 8 bits of the extended code), e.g. 5 for SQLITE_BUSY.
    public let code: Int32
    /// The extended result code, e.g. 2067 for SQLITE_CONSTRAINT_UNIQUE.
    public let extendedCode: Int32
    /// SQLite's message (`sqlite3_errmsg`) or this wrapper's explanation.
    public let message: String
    /// The SQL being prepared or run, if any; never includes bound values.
    public let sql: String?

    /// Creates an error from an extended result code.
    init(extendedCode: Int32, message: String, sql: String?) {
        self.code = extendedCode & 0xFF
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
    }

    /// Another SQL process or connection holds a conflicting lock (SQLITE_BUSY) and the busy
    /// timeout expired; the operation may be retried.
    public var isBusy: Bool { code == SQLITE_BUSY }
    /// A constraint (UNIQUE, NOT NULL, CHECK, FOREIGN KEY, STRICT type) was violated.
    public var isConstraint: Bool { code == SQLITE_CONSTRAINT }
    /// The disk is full (SQLITE_FULL).
    public var isFull: Bool { code == SQLITE_FULL }
    /// The database or connection is read-only (SQLITE_READONLY).
    public var isReadOnly: Bool { code == SQLITE_READONLY }

    public var description: String {
        let name = String(cString: sqlite3_errstr(extendedCode))
        var text = "SQLite error \(code)/\(extendedCode) (\(name)): \(message)"
        if let sql { text += " — SQL: \(sql)" }
        return text
    }

    /// A misuse of this wrapper (SQLITE_MISUSE), such as a nested transaction.
    static func misuse(_ message: String, sql: String? = nil) -> SQLiteError {
        SQLiteError(extendedCode: SQLITE_MISUSE, message: message, sql: sql)
    }

    /// A value that does not have the expected type or column (SQLITE_MISMATCH).
    static func mismatch(_ message: String) -> SQLiteError {
        SQLiteError(extendedCode: SQLITE_MISMATCH, message: message, sql: nil)
    }
}
