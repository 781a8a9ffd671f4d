import Foundation
import Security
import SQLite

/// Marker for `api_clients` row ids.
public enum APIClientTable {}
/// The row id of an API client.
public typealias APIClientID = RowID<APIClientTable>

/// A sector IT system's credentials as stored: its organisation, its SMART-style scopes
/// (`system/Observation.read`) and its lifetime. The token itself is never stored.
public struct StoredAPIClient: Sendable, Hashable {
    public let id: APIClientID
    /// The organisation (department, GP clinic, municipal unit) the client acts for.
    public let organisationID: DepartmentID
    /// Granted scopes, e.g. `system/QuestionnaireResponse.read`, `system/QuestionnaireResponse.write`.
    public let scopes: [String]
    public let createdAt: Date
    /// nil: never expires.
    public let expiresAt: Date?
    /// When the client was revoked, if it was.
    public let revokedAt: Date?

    /// Whether the token may be used at `now`: not revoked, not expired.
    public func isActive(at now: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { now < $0 } ?? true)
    }
}

/// Reads and writes `api_clients`: bearer tokens for the FHIR API, stored as SHA-256 only
/// (a copy of the database hands out no working token).
public enum APIClients {
    /// Creates a client with a fresh 256-bit token; the token exists only in the return value.
    public static func create(_ db: Connection, organisationID: DepartmentID, scopes: [String], now: Date,
                              expiresAt: Date?) throws -> (client: StoredAPIClient, token: String) {
        let token = SecretToken.generate()
        let createdAt = Timestamp.truncated(now)
        let expires = expiresAt.map(Timestamp.truncated)
        try db.run("""
            INSERT INTO api_clients (organisation_id, scopes, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
            """, [.integer(organisationID.rawValue), .text(scopes.joined(separator: " ")), .blob(SHA256.hash(Array(token.utf8))),
                  .text(Timestamp.string(createdAt)), expires.map { .text(Timestamp.string($0)) } ?? .null])
        let client = StoredAPIClient(id: APIClientID(rawValue: db.lastInsertRowID), organisationID: organisationID, scopes: scopes,
                                     createdAt: createdAt, expiresAt: expires, revokedAt: nil)
        return (client, token)
    }

    /// The client holding this token, whatever its state (check `isActive`).
    public static func find(_ db: Connection, token: String) throws -> StoredAPIClient? {
        try db.queryOne("SELECT * FROM api_clients WHERE token_hash = ?", [.blob(SHA256.hash(Array(token.utf8)))]).map(client)
    }

    /// Every client, oldest first.
    public static func all(_ db: Connection) throws -> [StoredAPIClient] {
        try db.query("SELECT * FROM api_clients ORDER BY id").map(client)
    }

    /// Revokes a client from `now` on; false when there is no such client or it was revoked already.
    public static func revoke(_ db: Connection, _ id: APIClientID, now: Date) throws -> Bool {
        try db.run("UPDATE api_clients SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                   [.text(Timestamp.string(Timestamp.truncated(now))), .integer(id.rawValue)]) > 0
    }

    private static func client(_ row: Row) throws -> StoredAPIClient {
        StoredAPIClient(id: APIClientID(rawValue: try row.int("id")),
                        organisationID: DepartmentID(rawValue: try row.int("organisation_id")),
                        scopes: try row.string("scopes").split(separator: " ").map(String.init),
                        createdAt: try timestamp(row, "created_at", table: "api_clients"),
                        expiresAt: try row.optionalString("expires_at").flatMap(Timestamp.date),
                        revokedAt: try row.optionalString("revoked_at").flatMap(Timestamp.date))
    }
}

/// One granted scope in the SMART Backend Services form `system/<Type>.<read|write>` (SMART App
/// Launch 1.0 "Scopes"; `*` stands for any type or any access), as `byneed client add` accepts
/// it and the FHIR API checks it.
public struct APIScope: Sendable, Hashable {
    /// The resource type, or `*`.
    public let resourceType: String
    /// `read`, `write` or `*`.
    public let access: String

    /// Parses a scope; nil when it is not `system/<Type or *>.<read, write or *>`.
    public init?(_ text: String) {
        guard text.hasPrefix("system/"), let dot = text.lastIndex(of: ".") else { return nil }
        let type = String(text[text.index(text.startIndex, offsetBy: 7)..<dot])
        let access = String(text[text.index(after: dot)...])
        guard !type.isEmpty, ["read", "write", "*"].contains(access) else { return nil }
        self.resourceType = type
        self.access = access
    }

    /// Whether this scope allows `access` (`read` or `write`) on `resourceType`.
    public func allows(resourceType type: String, access wanted: String) -> Bool {
        (resourceType == "*" || resourceType == type) && (access == "*" || access == wanted)
    }
}
