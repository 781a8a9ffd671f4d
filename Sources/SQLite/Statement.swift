internal import CSQLite

/// One compiled SQL statement ("SQLite: Prepared Statement Object").
///
/// Confined to the thread of its connection, like `Connection`; it keeps the connection alive
/// and is finalised in `deinit`.
public final class Statement {
    let handle: OpaquePointer
    /// The connection the statement belongs to; kept so it outlives the statement.
    let connection: Connection

    /// The SQL text of the statement.
    public let sql: String

    /// The result column names, in order (empty for statements that return no rows).
    public let columnNames: [String]

    init(connection: Connection, sql: String) throws(SQLiteError) {
        var pointer: OpaquePointer?
        let utf8 = Array(sql.utf8)
        let trailingSQL: String? = utf8.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { text in
                var tail: UnsafePointer<CChar>?
                guard sqlite3_prepare_v2(connection.handle, text.baseAddress, Int32(text.count), &pointer, &tail) == SQLITE_OK,
                      let tail, let base = text.baseAddress else { return nil }
                let consumed = base.distance(to: tail)
                return String(decoding: utf8[consumed...], as: UTF8.self)
            }
        }
        guard let pointer else {
            if trailingSQL == nil { throw connection.lastError(sql: sql) }
            throw SQLiteError.misuse("no SQL statement to prepare", sql: sql)
        }
        self.handle = pointer
        self.connection = connection
        self.sql = sql
        self.columnNames = (0..<sqlite3_column_count(pointer)).map { String(cString: sqlite3_column_name(pointer, $0)) }
        if let trailingSQL, try Statement.containsStatement(trailingSQL, connection: connection) {
            throw SQLiteError.misuse("more than one statement; use execute(_:) for scripts", sql: sql)
        }
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// True when `sql` compiles to at least one statement (not only whitespace and comments).
    private static func containsStatement(_ sql: String, connection: Connection) throws(SQLiteError) -> Bool {
        var pointer: OpaquePointer?
        let status = sqlite3_prepare_v2(connection.handle, sql, -1, &pointer, nil)
        defer { sqlite3_finalize(pointer) }
        guard status == SQLITE_OK else { throw connection.lastError(sql: sql) }
        return pointer != nil
    }

    // MARK: - Execution

    /// Runs the statement to its next row: a `Row`, or nil when it is done.
    public func step() throws(SQLiteError) -> Row? {
        switch sqlite3_step(handle) {
        case SQLITE_ROW:
            return Row(columnNames: columnNames, values: (0..<Int32(columnNames.count)).map(columnValue))
        case SQLITE_DONE:
            return nil
        default:
            throw connection.lastError(sql: sql)
        }
    }

    /// Rewinds the statement so it can run again; bindings are kept ("SQLite: sqlite3_reset").
    public func reset() {
        sqlite3_reset(handle)
    }

    /// Reads column `index` of the current row, copying text and blob bytes exactly.
    private func columnValue(_ index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT:
            let bytes = sqlite3_column_text(handle, index)
            let count = Int(sqlite3_column_bytes(handle, index))
            guard let bytes else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let bytes = sqlite3_column_blob(handle, index)
            let count = Int(sqlite3_column_bytes(handle, index))
            guard let bytes, count > 0 else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }
}
