import SQLite

// MARK: - Audit chain (issue 5)

extension Backup {
    /// The table that will hold the hash-chained audit log (issue 5; not in the schema yet).
    public static let auditTable = "audit_log"

    /// Verifies the hash chain of the audit log in `connection`'s database, when it has one.
    ///
    /// The restore calls this before it replaces anything. The audit log does not exist yet
    /// (issue 5 adds it), so today a database without `auditTable` passes; a database that has
    /// the table is refused, because a restore must not skip a check it promises: issue 5
    /// replaces the refusal below with the walk over the chain (each row's hash covers the
    /// previous row's hash), reporting the first row that breaks it.
    public static func verifyAuditChain(_ connection: Connection, path: String) throws(BackupError) {
        let hasTable = try run(on: connection, path: path) { () throws(SQLiteError) in
            try connection.queryOne("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", [.text(auditTable)]) != nil
        }
        guard hasTable else { return }
        throw .auditChain(path: path, reason: "this build cannot verify the \(auditTable) hash chain yet")
    }
}
