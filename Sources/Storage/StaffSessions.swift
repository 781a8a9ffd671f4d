import Foundation
import Security
import SQLite

/// A signed-in staff member's session, as stored.
///
/// The session id lives only in the browser's cookie; the table keeps its SHA-256, so a copy
/// of the database opens no sessions (the same rule as invitation links, ARCHITECTURE.md).
public struct StaffSession: Sendable, Hashable {
    public let staffID: StaffAccountID
    /// The synchronizer token every staff form carries (OWASP CSRF Prevention Cheat Sheet).
    public let csrfToken: String
    /// The staff member's chosen language for the clinician pages ("da" or "en").
    public let language: String
    public let createdAt: Date
    public let lastSeenAt: Date
}

/// Reads and writes `staff_sessions`.
public enum StaffSessions {
    /// Starts a session with a fresh random id and CSRF token; returns the id (for the cookie)
    /// and the session. The id exists only in this return value and the cookie.
    public static func create(_ db: Connection, staffID: StaffAccountID, language: String,
                              now: Date) throws -> (id: String, session: StaffSession) {
        let id = SecretToken.generate()
        let csrf = SecretToken.generate()
        let at = Timestamp.string(now)
        try db.run("""
            INSERT INTO staff_sessions (id_hash, staff_id, csrf_token, language, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)
            """, [.blob(idHash(id)), .integer(staffID.rawValue), .text(csrf), .text(language), .text(at), .text(at)])
        let stamp = Timestamp.truncated(now)
        return (id, StaffSession(staffID: staffID, csrfToken: csrf, language: language, createdAt: stamp, lastSeenAt: stamp))
    }

    /// The session a cookie's id opens, if any (expired or not: the caller applies the timeouts).
    public static func find(_ db: Connection, id: String) throws -> StaffSession? {
        try db.queryOne("SELECT * FROM staff_sessions WHERE id_hash = ?", [.blob(idHash(id))]).map { row in
            StaffSession(staffID: StaffAccountID(rawValue: try row.int("staff_id")), csrfToken: try row.string("csrf_token"),
                         language: try row.string("language"),
                         createdAt: try timestamp(row, "created_at", table: "staff_sessions"),
                         lastSeenAt: try timestamp(row, "last_seen_at", table: "staff_sessions"))
        }
    }

    /// Records activity now (the idle timeout counts from here).
    public static func touch(_ db: Connection, id: String, now: Date) throws {
        try db.run("UPDATE staff_sessions SET last_seen_at = ? WHERE id_hash = ?", [.text(Timestamp.string(now)), .blob(idHash(id))])
    }

    /// Changes the session's language.
    public static func setLanguage(_ db: Connection, id: String, language: String) throws {
        try db.run("UPDATE staff_sessions SET language = ? WHERE id_hash = ?", [.text(language), .blob(idHash(id))])
    }

    /// Ends a session (logout, timeout, a new login replacing it).
    public static func delete(_ db: Connection, id: String) throws {
        try db.run("DELETE FROM staff_sessions WHERE id_hash = ?", [.blob(idHash(id))])
    }

    /// How many sessions are stored; for tests and operations.
    public static func count(_ db: Connection) throws -> Int {
        Int(try db.queryOne("SELECT count(*) AS n FROM staff_sessions")?.int("n") ?? 0)
    }

    static func idHash(_ id: String) -> [UInt8] {
        SHA256.hash(Array(id.utf8))
    }
}
