internal import CSQLite

// MARK: - Binding

extension Statement {
    /// The number of `?` parameters the statement expects.
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// Binds `values` to the parameters by position (the first value to `?1`), after resetting
    /// the statement; the count must match the statement's parameters exactly.
    ///
    /// Text and blobs are bound with their byte length and SQLITE_TRANSIENT, so SQLite copies
    /// them: text containing NUL is not truncated, and an empty blob stays a zero-length blob
    /// rather than becoming NULL ("SQLite: sqlite3_bind_blob").
    public func bind(_ values: [SQLValue]) throws(SQLiteError) {
        reset()
        sqlite3_clear_bindings(handle)
        guard values.count == parameterCount else {
            throw SQLiteError.misuse("expected \(parameterCount) parameters, got \(values.count)", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            let status = bind(value, at: Int32(offset + 1))
            guard status == SQLITE_OK else { throw connection.lastError(sql: sql) }
        }
    }

    private func bind(_ value: SQLValue, at index: Int32) -> Int32 {
        switch value {
        case .null:
            return sqlite3_bind_null(handle, index)
        case .integer(let integer):
            return sqlite3_bind_int64(handle, index, integer)
        case .real(let real):
            return sqlite3_bind_double(handle, index, real)
        case .text(let text):
            // A null pointer would bind NULL, so empty text is bound from a literal "".
            guard !text.isEmpty else {
                return sqlite3_bind_text64(handle, index, "", 0, byneed_sqlite_transient, UInt8(SQLITE_UTF8))
            }
            return Array(text.utf8).withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { characters in
                    sqlite3_bind_text64(handle, index, characters.baseAddress, UInt64(characters.count),
                                        byneed_sqlite_transient, UInt8(SQLITE_UTF8))
                }
            }
        case .blob(let bytes):
            guard !bytes.isEmpty else { return sqlite3_bind_zeroblob(handle, index, 0) }
            return bytes.withUnsafeBytes { raw in
                sqlite3_bind_blob64(handle, index, raw.baseAddress, UInt64(raw.count), byneed_sqlite_transient)
            }
        }
    }
}
