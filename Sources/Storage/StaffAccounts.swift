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

    private static func user(_ row: Row) throws -> StaffAccount {
        StaffAccount(id: StaffAccountID(rawValue: try row.int("id")), username: try row.string("username"),
                  displayName: try row.string("display_name"), departmentID: DepartmentID(rawValue: try row.int("department_id")),
                  role: try row.string("role"), passwordHash: try row.string("password_hash"),
                  isProtected: try row.int("is_protected") == 1)
    }
}
