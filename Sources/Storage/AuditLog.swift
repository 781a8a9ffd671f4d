import Foundation
import Security
import SQLite

/// One entry of the audit log: who did what to whose data, when, on what legal basis, and how it ended.
public struct AuditEntry: Sendable, Hashable {
    public enum ActorKind: String, Sendable, Hashable { case staff, patient, apiClient = "api-client", system }
    public enum Action: String, Sendable, Hashable { case read, change, denied }

    public var at: Date
    public var actorKind: ActorKind
    /// The staff account, patient, or API client id.
    public var actorID: String?
    public var actorRole: String?
    /// The actor's organisation (SOR code).
    public var organisationSOR: String?
    public var patientID: PatientID?
    public var action: Action
    /// What was read or changed: a page or resource name (`patient-overview`, `decision`, `consent`).
    public var what: String
    /// The legal basis the access policy gave (`treatment-relation`, `consent`, `emergency`, …).
    public var legalBasis: String?
    /// `allowed`, or the reason for a denial.
    public var outcome: String
    public var detail: String?

    public init(at: Date, actorKind: ActorKind, actorID: String?, actorRole: String? = nil, organisationSOR: String? = nil,
                patientID: PatientID?, action: Action, what: String, legalBasis: String? = nil, outcome: String,
                detail: String? = nil) {
        self.at = at
        self.actorKind = actorKind
        self.actorID = actorID
        self.actorRole = actorRole
        self.organisationSOR = organisationSOR
        self.patientID = patientID
        self.action = action
        self.what = what
        self.legalBasis = legalBasis
        self.outcome = outcome
        self.detail = detail
    }
}

/// The tamper-evident audit log: every row's hash covers the previous row's hash and the row's
/// own canonical text, so changing, deleting or inserting a row breaks the chain from there on.
///
/// Rows are written in the same transaction as the read or change they record: when the audit
/// insert fails, the transaction fails and the data is not returned (fail closed). Old rows can
/// be pruned for retention without losing verifiability: the hash of the last pruned row is
/// kept as the anchor the chain is verified from (and can be kept outside the database too,
/// with `head()`).
public enum AuditLog {
    /// The hash before the first row.
    static let genesis = [UInt8](repeating: 0, count: 32)

    /// Appends an entry, chained to the last one.
    public static func append(_ db: Connection, _ entry: AuditEntry) throws {
        let previous = try lastHash(db)
        let at = Timestamp.string(entry.at)
        let canonical = canonicalText(at: at, entry: entry)
        let hash = SHA256.hash(previous + Array(canonical.utf8))
        try db.run("""
            INSERT INTO audit_events (at, actor_kind, actor_id, actor_role, organisation_sor, patient_id, action, what,
                                      legal_basis, outcome, detail, previous_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(at), .text(entry.actorKind.rawValue), optional(entry.actorID), optional(entry.actorRole),
                  optional(entry.organisationSOR), entry.patientID.map { .integer($0.rawValue) } ?? .null,
                  .text(entry.action.rawValue), .text(entry.what), optional(entry.legalBasis), .text(entry.outcome),
                  optional(entry.detail), .blob(previous), .blob(hash)])
    }

    /// The result of checking the chain.
    public enum Verification: Sendable, Hashable {
        case intact(rows: Int)
        /// The first row whose stored hashes do not match (changed, or a row before it removed
        /// or inserted); `reason` says which check failed.
        case broken(atRowID: Int64, reason: String)
    }

    /// Walks the chain from the anchor (or the start) and names the first broken row.
    public static func verify(_ db: Connection) throws -> Verification {
        var expectedPrevious = genesis
        var afterID: Int64 = 0
        if let anchor = try db.queryOne("SELECT after_id, hash FROM audit_anchor WHERE singleton = 1") {
            afterID = try anchor.int("after_id")
            expectedPrevious = try anchor.optionalBlob("hash") ?? genesis
        }
        var count = 0
        for row in try db.query("SELECT * FROM audit_events WHERE id > ? ORDER BY id", [.integer(afterID)]) {
            let id = try row.int("id")
            let previous = try row.optionalBlob("previous_hash") ?? []
            guard previous == expectedPrevious else {
                return .broken(atRowID: id, reason: "its previous hash does not match the row before it (a row was removed or inserted)")
            }
            guard let entry = try? entry(row) else { return .broken(atRowID: id, reason: "a field cannot be read (the row was changed)") }
            let recomputed = SHA256.hash(previous + Array(canonicalText(at: try row.string("at"), entry: entry).utf8))
            guard recomputed == (try row.optionalBlob("hash") ?? []) else {
                return .broken(atRowID: id, reason: "its content does not match its hash (the row was changed)")
            }
            expectedPrevious = recomputed
            count += 1
        }
        return .intact(rows: count)
    }

    /// The id and hash of the newest row: export it to keep outside the database, so that even a
    /// rewrite of the whole chain can be detected.
    public static func head(_ db: Connection) throws -> (id: Int64, hash: [UInt8])? {
        try db.queryOne("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1").map { (try $0.int("id"), try $0.optionalBlob("hash") ?? []) }
    }

    /// Deletes rows older than `cutoff` (retention) and moves the anchor to the last deleted
    /// row's hash, so what remains still verifies. Returns how many rows were deleted.
    public static func prune(_ db: Connection, olderThan cutoff: Date, now: Date) throws -> Int {
        guard let last = try db.queryOne("SELECT id, hash FROM audit_events WHERE at < ? ORDER BY id DESC LIMIT 1",
                                         [.text(Timestamp.string(cutoff))]) else { return 0 }
        let lastID = try last.int("id")
        try db.run("""
            INSERT INTO audit_anchor (singleton, after_id, hash, pruned_at) VALUES (1, ?, ?, ?)
            ON CONFLICT (singleton) DO UPDATE SET after_id = excluded.after_id, hash = excluded.hash, pruned_at = excluded.pruned_at
            """, [.integer(lastID), .blob(try last.optionalBlob("hash") ?? []), .text(Timestamp.string(now))])
        return try db.run("DELETE FROM audit_events WHERE id <= ?", [.integer(lastID)])
    }

    /// A patient's entries, newest first (the patient's access log).
    public static func forPatient(_ db: Connection, _ patientID: PatientID, limit: Int = 500) throws -> [AuditEntry] {
        try db.query("SELECT * FROM audit_events WHERE patient_id = ? ORDER BY id DESC LIMIT ?",
                     [.integer(patientID.rawValue), .integer(Int64(limit))]).map(entry)
    }

    private static func lastHash(_ db: Connection) throws -> [UInt8] {
        if let row = try db.queryOne("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1") { return try row.optionalBlob("hash") ?? genesis }
        if let anchor = try db.queryOne("SELECT hash FROM audit_anchor WHERE singleton = 1") { return try anchor.optionalBlob("hash") ?? genesis }
        return genesis
    }

    /// The fields in a fixed order, each length-prefixed so no two different rows share a text.
    static func canonicalText(at: String, entry: AuditEntry) -> String {
        let fields: [String?] = [at, entry.actorKind.rawValue, entry.actorID, entry.actorRole, entry.organisationSOR,
                                 entry.patientID.map { String($0.rawValue) }, entry.action.rawValue, entry.what,
                                 entry.legalBasis, entry.outcome, entry.detail]
        return fields.map { field in field.map { "\($0.utf8.count):\($0)" } ?? "-" }.joined(separator: "|")
    }

    private static func optional(_ text: String?) -> SQLValue {
        text.map(SQLValue.text) ?? .null
    }

    static func entry(_ row: Row) throws -> AuditEntry {
        let table = "audit_events"
        guard let kind = AuditEntry.ActorKind(rawValue: try row.string("actor_kind")) else {
            throw StorageError.corruptValue(table: table, column: "actor_kind")
        }
        guard let action = AuditEntry.Action(rawValue: try row.string("action")) else {
            throw StorageError.corruptValue(table: table, column: "action")
        }
        return AuditEntry(at: try timestamp(row, "at", table: table), actorKind: kind, actorID: try row.optionalString("actor_id"),
                          actorRole: try row.optionalString("actor_role"), organisationSOR: try row.optionalString("organisation_sor"),
                          patientID: try row.optionalInt("patient_id").map(PatientID.init(rawValue:)), action: action,
                          what: try row.string("what"), legalBasis: try row.optionalString("legal_basis"),
                          outcome: try row.string("outcome"), detail: try row.optionalString("detail"))
    }
}
