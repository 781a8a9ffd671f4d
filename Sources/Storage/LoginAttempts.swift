import Foundation
import Security
import SQLite

/// Failed staff sign-in attempts, counted per username and per client address, for rate
/// limiting and lockout (OWASP Authentication Cheat Sheet, "Protect Against Automated Attacks").
///
/// Keys are stored as SHA-256 of the normalised username or the address, and a username is
/// counted whether or not an account has it, so the table neither lists who exists nor
/// behaves differently for names that do not.
public enum LoginAttempts {
    /// What a failure is counted against.
    public enum Key: Sendable, Hashable {
        /// A username as typed; trimmed and lower-cased before hashing.
        case username(String)
        /// The client's network address (`HTTPRequest.remoteAddress`).
        case address(String)

        var kind: String {
            switch self {
            case .username: "username"
            case .address: "address"
            }
        }

        var hash: [UInt8] {
            switch self {
            case .username(let name): SHA256.hash(Array(LoginAttempts.normalised(name).utf8))
            case .address(let address): SHA256.hash(Array(address.utf8))
            }
        }
    }

    /// The form a username is counted under: surrounding white space trimmed, lower-cased.
    public static func normalised(_ username: String) -> String {
        username.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Failures recorded for `key` at or after `since`.
    public static func failures(_ db: Connection, _ key: Key, since: Date) throws -> Int {
        Int(try db.queryOne("SELECT count(*) AS n FROM login_failures WHERE kind = ? AND key_hash = ? AND at >= ?",
                            [.text(key.kind), .blob(key.hash), .integer(seconds(since))])?.int("n") ?? 0)
    }

    /// Records one failure against each key at `now`, and drops failures older than
    /// `keepingSince` (they no longer count towards any limit).
    public static func recordFailure(_ db: Connection, _ keys: [Key], now: Date, keepingSince: Date) throws {
        try db.run("DELETE FROM login_failures WHERE at < ?", [.integer(seconds(keepingSince))])
        for key in keys {
            try db.run("INSERT INTO login_failures (kind, key_hash, at) VALUES (?, ?, ?)",
                       [.text(key.kind), .blob(key.hash), .integer(seconds(now))])
        }
    }

    /// Forgets the failures of `key` (a successful sign-in resets the username's count).
    public static func reset(_ db: Connection, _ key: Key) throws {
        try db.run("DELETE FROM login_failures WHERE kind = ? AND key_hash = ?", [.text(key.kind), .blob(key.hash)])
    }

    static func seconds(_ date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970.rounded(.down))
    }
}
