import Foundation
import SQLite

/// Reads and writes `staff_users`.
public enum StaffAccounts {
    /// Creates a staff user; the username is unique.
    @discardableResult
    public static func create(_ db: Connection, username: String, displayName: String, departmentID: DepartmentID,
                              role: String, passwordHash: String, now: Date) throws -> StaffAccount {
        try db.run("""
            INSERT INTO staff_users (username, display_name, department_id, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)
            """, [.text(username), .text(displayName), .integer(departmentID.rawValue), .text(role), .text(passwordHash),
                  .text(Timestamp.string(now))])
        return StaffAccount(id: StaffAccountID(rawValue: db.lastInsertRowID), username: username, displayName: displayName,
                         departmentID: departmentID, role: role, passwordHash: passwordHash)
    }

    /// The user with this username, if any.
    public static func find(_ db: Connection, username: String) throws -> StaffAccount? {
        try db.queryOne("SELECT * FROM staff_users WHERE username = ?", [.text(username)]).map(user)
    }

    /// The user with this id, if any.
    public static func find(_ db: Connection, id: StaffAccountID) throws -> StaffAccount? {
        try db.queryOne("SELECT * FROM staff_users WHERE id = ?", [.integer(id.rawValue)]).map(user)
    }

    /// The staff of a department, by name: who work can be assigned to.
    public static func inDepartment(_ db: Connection, _ departmentID: DepartmentID) throws -> [StaffAccount] {
        try db.query("SELECT * FROM staff_users WHERE department_id = ? ORDER BY display_name", [.integer(departmentID.rawValue)]).map(user)
    }

    /// Marks a staff member as protected (or not): patients then see their organisation and role, never their name.
    public static func setProtected(_ db: Connection, _ id: StaffAccountID, _ isProtected: Bool) throws {
        try db.run("UPDATE staff_users SET is_protected = ? WHERE id = ?", [.integer(isProtected ? 1 : 0), .integer(id.rawValue)])
    }

    /// Replaces a user's password hash (a rehash at a higher iteration count, a reset).
    public static func setPasswordHash(_ db: Connection, _ id: StaffAccountID, _ hash: String) throws {
        try db.run("UPDATE staff_users SET password_hash = ? WHERE id = ?", [.text(hash), .integer(id.rawValue)])
    }

    // MARK: Second factor

    /// The account's TOTP secret and the last time step accepted, or nil when it has no secret.
    public static func totp(_ db: Connection, _ id: StaffAccountID) throws -> (secret: [UInt8], lastStep: Int?)? {
        guard let row = try db.queryOne("SELECT totp_secret, totp_last_step FROM staff_users WHERE id = ?", [.integer(id.rawValue)]),
              let secret = try row.optionalBlob("totp_secret") else { return nil }
        return (secret, try row.optionalInt("totp_last_step").map(Int.init))
    }

    /// Gives the account a new TOTP secret (enrolment or re-enrolment); forgets the last step.
    public static func setTOTPSecret(_ db: Connection, _ id: StaffAccountID, _ secret: [UInt8]) throws {
        try db.run("UPDATE staff_users SET totp_secret = ?, totp_last_step = NULL WHERE id = ?", [.blob(secret), .integer(id.rawValue)])
    }

    /// Records `step` as used, only if it is later than the last one: false means the code was
    /// already used (RFC 6238 §5.2, each code is accepted once).
    public static func acceptTOTPStep(_ db: Connection, _ id: StaffAccountID, _ step: Int) throws -> Bool {
        try db.run("UPDATE staff_users SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)",
                   [.integer(Int64(step)), .integer(id.rawValue), .integer(Int64(step))]) > 0
    }

    private static func user(_ row: Row) throws -> StaffAccount {
        StaffAccount(id: StaffAccountID(rawValue: try row.int("id")), username: try row.string("username"),
                  displayName: try row.string("display_name"), departmentID: DepartmentID(rawValue: try row.int("department_id")),
                  role: try row.string("role"), passwordHash: try row.string("password_hash"),
                  isProtected: try row.int("is_protected") == 1)
    }
}
