import Foundation
import SQLite

/// Reads and writes `contact_requests`: a patient asking to be contacted from their own page.
public enum ContactRequests {
    /// Records a request and returns it.
    @discardableResult
    public static func create(_ db: Connection, patientID: PatientID, message: String?, now: Date) throws -> ContactRequest {
        try db.run("INSERT INTO contact_requests (patient_id, requested_at, message) VALUES (?, ?, ?)",
                   [.integer(patientID.rawValue), .text(Timestamp.string(now)), message.map(SQLValue.text) ?? .null])
        return ContactRequest(id: ContactRequestID(rawValue: db.lastInsertRowID), patientID: patientID,
                              requestedAt: Timestamp.truncated(now), message: message)
    }

    /// A patient's requests, newest first.
    public static func forPatient(_ db: Connection, _ patientID: PatientID) throws -> [ContactRequest] {
        try db.query("SELECT * FROM contact_requests WHERE patient_id = ? ORDER BY id DESC", [.integer(patientID.rawValue)]).map { row in
            ContactRequest(id: ContactRequestID(rawValue: try row.int("id")), patientID: patientID,
                           requestedAt: try timestamp(row, "requested_at", table: "contact_requests"),
                           message: try row.optionalString("message"))
        }
    }
}
