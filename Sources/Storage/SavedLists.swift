import Foundation
import SQLite

/// A saved automatic list: a name and the filter as JSON text, with who saved it and when.
public struct SavedList: Sendable, Hashable {
    public let id: Int64
    public let departmentID: DepartmentID
    public let name: String
    /// The filter, as `PatientListFilter` writes it.
    public let filterJSON: String
    public let createdBy: StaffAccountID
    public let createdAt: Date
}

/// Reads and writes `saved_lists` (migration 0009): a department's saved list filters.
public enum SavedLists {
    /// Saves a list for a department and returns it.
    @discardableResult
    public static func save(_ db: Connection, departmentID: DepartmentID, name: String, filterJSON: String, createdBy: StaffAccountID,
                            now: Date) throws -> SavedList {
        try db.run("INSERT INTO saved_lists (department_id, name, filter_json, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
                   [.integer(departmentID.rawValue), .text(name), .text(filterJSON), .integer(createdBy.rawValue),
                    .text(Timestamp.string(now))])
        return try find(db, id: db.lastInsertRowID, departmentID: departmentID)!
    }

    /// The list with this id if it belongs to `departmentID` (another department's list is not found).
    public static func find(_ db: Connection, id: Int64, departmentID: DepartmentID) throws -> SavedList? {
        try db.queryOne("SELECT * FROM saved_lists WHERE id = ? AND department_id = ?", [.integer(id), .integer(departmentID.rawValue)])
            .map(list)
    }

    /// A department's saved lists by name.
    public static func all(_ db: Connection, departmentID: DepartmentID) throws -> [SavedList] {
        try db.query("SELECT * FROM saved_lists WHERE department_id = ? ORDER BY name, id", [.integer(departmentID.rawValue)]).map(list)
    }

    private static func list(_ row: Row) throws -> SavedList {
        SavedList(id: try row.int("id"), departmentID: DepartmentID(rawValue: try row.int("department_id")), name: try row.string("name"),
                  filterJSON: try row.string("filter_json"), createdBy: StaffAccountID(rawValue: try row.int("created_by")),
                  createdAt: try timestamp(row, "created_at", table: "saved_lists"))
    }
}
