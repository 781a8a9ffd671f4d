import SQLite

extension AuditLog {
    /// The rows an organisation's own staff and API clients produced about one patient,
    /// newest first: the data controller's follow-up on its own look-ups, which the FHIR API
    /// serves as AuditEvent. Rows of the patient, of the system and of other organisations are
    /// never included.
    public static func forPatient(_ db: Connection, _ patientID: PatientID, producedBy organisationSOR: String) throws -> [StoredAuditEvent] {
        try db.query("""
            SELECT * FROM audit_events
            WHERE patient_id = ? AND organisation_sor = ? AND actor_kind IN ('staff', 'api-client')
            ORDER BY id DESC
            """, [.integer(patientID.rawValue), .text(organisationSOR)]).map { row in
            StoredAuditEvent(id: try row.int("id"), entry: try entry(row))
        }
    }

    /// The row with this id, if there is one.
    public static func find(_ db: Connection, id: Int64) throws -> StoredAuditEvent? {
        try db.queryOne("SELECT * FROM audit_events WHERE id = ?", [.integer(id)]).map { row in
            StoredAuditEvent(id: try row.int("id"), entry: try entry(row))
        }
    }
}
