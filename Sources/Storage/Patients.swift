import SQLite

/// Reads and writes `patients`.
public enum Patients {
    /// Inserts a patient and returns it.
    public static func insert(_ db: Connection, cpr: String, name: String, language: String, departmentID: DepartmentID,
                              contact: PatientContact = PatientContact()) throws -> Patient {
        try db.run("""
            INSERT INTO patients (cpr, name, language, department_id, email, mobile, delivery, gp_sor_code, municipality_code)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(cpr), .text(name), .text(language), .integer(departmentID.rawValue)] + contact.parameters)
        return Patient(id: PatientID(rawValue: db.lastInsertRowID), cpr: cpr, name: name,
                       language: language, departmentID: departmentID, contact: contact)
    }

    /// Replaces a patient's name, language and contact details (the CPR number never changes).
    public static func update(_ db: Connection, _ id: PatientID, name: String, language: String, contact: PatientContact) throws {
        try db.run("""
            UPDATE patients SET name = ?, language = ?, email = ?, mobile = ?, delivery = ?, gp_sor_code = ?, municipality_code = ?
            WHERE id = ?
            """, [.text(name), .text(language)] + contact.parameters + [.integer(id.rawValue)])
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
        guard let delivery = PatientContact.Delivery(rawValue: try row.string("delivery")) else {
            throw StorageError.corruptValue(table: "patients", column: "delivery")
        }
        let contact = PatientContact(email: try row.optionalString("email"), mobile: try row.optionalString("mobile"),
                                     delivery: delivery, gpSORCode: try row.optionalString("gp_sor_code"),
                                     municipalityCode: try row.optionalString("municipality_code"))
        return Patient(id: PatientID(rawValue: try row.int("id")), cpr: try row.string("cpr"),
                       name: try row.string("name"), language: try row.string("language"),
                       departmentID: DepartmentID(rawValue: try row.int("department_id")), contact: contact)
    }
}

/// How to reach a patient, and who else cares for them (for sharing, issue 5).
public struct PatientContact: Sendable, Hashable {
    /// How invitations reach the patient: e-mail, or a printed letter for patients on paper.
    public enum Delivery: String, Sendable, Hashable, CaseIterable { case email, letter }

    public var email: String?
    public var mobile: String?
    public var delivery: Delivery
    /// The patient's GP clinic (SOR code).
    public var gpSORCode: String?
    /// The patient's municipality (the four-digit municipality code, e.g. 0101 Copenhagen).
    public var municipalityCode: String?

    public init(email: String? = nil, mobile: String? = nil, delivery: Delivery = .email, gpSORCode: String? = nil,
                municipalityCode: String? = nil) {
        self.email = email
        self.mobile = mobile
        self.delivery = delivery
        self.gpSORCode = gpSORCode
        self.municipalityCode = municipalityCode
    }

    var parameters: [SQLValue] {
        [email.map(SQLValue.text) ?? .null, mobile.map(SQLValue.text) ?? .null, .text(delivery.rawValue),
         gpSORCode.map(SQLValue.text) ?? .null, municipalityCode.map(SQLValue.text) ?? .null]
    }
}
