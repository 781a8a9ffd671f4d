import SQLite

/// Reads and writes `patients`.
public enum Patients {
    /// Inserts a patient and returns it.
    public static func insert(_ db: Connection, cpr: String, name: String, language: String,
                              departmentID: DepartmentID) throws -> Patient {
        try db.run("INSERT INTO patients (cpr, name, language, department_id) VALUES (?, ?, ?, ?)",
                   [.text(cpr), .text(name), .text(language), .integer(departmentID.rawValue)])
        return Patient(id: PatientID(rawValue: db.lastInsertRowID), cpr: cpr, name: name,
                       language: language, departmentID: departmentID)
    }

    /// The patient with this CPR number, if any.
    public static func find(_ db: Connection, cpr: String) throws -> Patient? {
        try db.queryOne("SELECT * FROM patients WHERE cpr = ?", [.text(cpr)]).map(patient)
    }

    /// The patient with this id, if any.
    public static func find(_ db: Connection, id: PatientID) throws -> Patient? {
        try db.queryOne("SELECT * FROM patients WHERE id = ?", [.integer(id.rawValue)]).map(patient)
    }

    private static func patient(_ row: Row) throws -> Patient {
        Patient(id: PatientID(rawValue: try row.int("id")), cpr: try row.string("cpr"),
                name: try row.string("name"), language: try row.string("language"),
                departmentID: DepartmentID(rawValue: try row.int("department_id")))
    }
}
