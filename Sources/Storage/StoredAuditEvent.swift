/// An audit row as stored: its row id (which never changes, the log being append-only) and
/// the entry.
public struct StoredAuditEvent: Sendable, Hashable {
    /// The `audit_events` row id.
    public let id: Int64
    /// What the row records.
    public let entry: AuditEntry
}
