import Foundation
import Security
import SQLite

/// A sign-in waiting for its second factor: the password was right, the one-time code is still
/// due. It is not a session and opens no page; only the code step reads it.
public struct StaffPendingLogin: Sendable, Hashable {
    public let staffID: StaffAccountID
    /// The language chosen on the sign-in form, for the session to come.
    public let language: String
    public let createdAt: Date
}

/// Reads and writes `staff_pending_logins`. The token lives only in the browser's cookie; the
/// table keeps its SHA-256, like session ids.
public enum StaffPendingLogins {
    /// Stores a pending sign-in for `staffID` and returns its fresh random token.
    public static func create(_ db: Connection, staffID: StaffAccountID, language: String, now: Date) throws -> String {
        let token = SecretToken.generate()
        try db.run("INSERT INTO staff_pending_logins (token_hash, staff_id, language, created_at) VALUES (?, ?, ?, ?)",
                   [.blob(SHA256.hash(Array(token.utf8))), .integer(staffID.rawValue), .text(language),
                    .integer(LoginAttempts.seconds(now))])
        return token
    }

    /// The pending sign-in a token names, if any (expired or not: the caller applies the limit).
    public static func find(_ db: Connection, token: String) throws -> StaffPendingLogin? {
        try db.queryOne("SELECT * FROM staff_pending_logins WHERE token_hash = ?", [.blob(SHA256.hash(Array(token.utf8)))]).map { row in
            StaffPendingLogin(staffID: StaffAccountID(rawValue: try row.int("staff_id")), language: try row.string("language"),
                              createdAt: Date(timeIntervalSince1970: TimeInterval(try row.int("created_at"))))
        }
    }

    /// Removes a pending sign-in (completed, expired or replaced), and every one older than `before`.
    public static func delete(_ db: Connection, token: String, olderThan before: Date) throws {
        try db.run("DELETE FROM staff_pending_logins WHERE token_hash = ? OR created_at < ?",
                   [.blob(SHA256.hash(Array(token.utf8))), .integer(LoginAttempts.seconds(before))])
    }
}
