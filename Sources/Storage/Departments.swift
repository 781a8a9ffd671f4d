import Sharing
import SQLite

/// Reads and writes `departments`: every organisation ByNeed knows by SOR code — hospital
/// departments, GP clinics, and municipal health and social-services units.
public enum Departments {
    /// Inserts an organisation and returns it.
    public static func insert(_ db: Connection, sorCode: String, name: String, phone: String,
                              kind: Organisation.Kind = .hospitalDepartment, municipalityCode: String? = nil) throws -> Department {
        try db.run("INSERT INTO departments (sor_code, name, phone, kind, municipality_code) VALUES (?, ?, ?, ?, ?)",
                   [.text(sorCode), .text(name), .text(phone), .text(kind.rawValue), municipalityCode.map(SQLValue.text) ?? .null])
        return Department(id: DepartmentID(rawValue: db.lastInsertRowID), sorCode: sorCode, name: name, phone: phone,
                          kind: kind, municipalityCode: municipalityCode)
    }

    /// The municipal units of `kind` that serve a municipality.
    public static func serving(_ db: Connection, municipalityCode: String, kind: Organisation.Kind) throws -> [Department] {
        try db.query("SELECT * FROM departments WHERE municipality_code = ? AND kind = ? ORDER BY id",
                     [.text(municipalityCode), .text(kind.rawValue)]).map(department)
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
        guard let kind = Organisation.Kind(rawValue: try row.string("kind")) else {
            throw StorageError.corruptValue(table: "departments", column: "kind")
        }
        return Department(id: DepartmentID(rawValue: try row.int("id")), sorCode: try row.string("sor_code"),
                          name: try row.string("name"), phone: try row.string("phone"), kind: kind,
                          municipalityCode: try row.optionalString("municipality_code"))
    }
}
