import SQLite

/// Reads and writes `departments`.
public enum Departments {
    /// Inserts a department and returns it.
    public static func insert(_ db: Connection, sorCode: String, name: String, phone: String) throws -> Department {
        try db.run("INSERT INTO departments (sor_code, name, phone) VALUES (?, ?, ?)",
                   [.text(sorCode), .text(name), .text(phone)])
        return Department(id: DepartmentID(rawValue: db.lastInsertRowID), sorCode: sorCode, name: name, phone: phone)
    }

    /// The department with this SOR code, if any.
    public static func find(_ db: Connection, sorCode: String) throws -> Department? {
        try db.queryOne("SELECT * FROM departments WHERE sor_code = ?", [.text(sorCode)]).map(department)
    }

    /// The department with this id, if any.
    public static func find(_ db: Connection, id: DepartmentID) throws -> Department? {
        try db.queryOne("SELECT * FROM departments WHERE id = ?", [.integer(id.rawValue)]).map(department)
    }

    private static func department(_ row: Row) throws -> Department {
        Department(id: DepartmentID(rawValue: try row.int("id")), sorCode: try row.string("sor_code"),
                   name: try row.string("name"), phone: try row.string("phone"))
    }
}
