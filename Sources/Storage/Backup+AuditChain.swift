import SQLite

// MARK: - Audit chain

extension Backup {
    /// The table of the hash-chained audit log (`AuditLog`).
    public static let auditTable = "audit_events"

    /// Verifies the hash chain of the audit log in `connection`'s database, when it has one.
    ///
    /// The restore calls this before it replaces anything, so a copy whose audit log was edited
    /// (a row changed, removed or inserted) is refused with the first broken row named. A copy
    /// made before the audit log existed (no `auditTable`) passes.
    public static func verifyAuditChain(_ connection: Connection, path: String) throws(BackupError) {
        let hasTable = try run(on: connection, path: path) { () throws(SQLiteError) in
            try connection.queryOne("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", [.text(auditTable)]) != nil
        }
        guard hasTable else { return }
        let verification: AuditLog.Verification
        do {
            verification = try AuditLog.verify(connection)
        } catch {
            throw .auditChain(path: path, reason: "the audit log cannot be read: \(error)")
        }
        if case .broken(let row, let reason) = verification {
            throw .auditChain(path: path, reason: "the audit log is broken at row \(row): \(reason)")
        }
    }
}
