import Foundation
import SQLite

/// One emergency access ("break the glass"): a health professional without a treatment
/// relation opened a patient's data, with a reason, for a limited time.
public struct EmergencyAccess: Sendable, Hashable {
    public let staffID: StaffAccountID
    public let patientID: PatientID
    public let reason: String
    public let grantedAt: Date
    public let expiresAt: Date
}

/// Reads and writes `emergency_accesses`: the grants the access policy honours while they last,
/// and the list a supervisor reviews.
public enum EmergencyAccesses {
    /// How long one emergency access lasts: long enough to treat, short enough to review.
    public static let duration: TimeInterval = 60 * 60

    public static func grant(_ db: Connection, staffID: StaffAccountID, patientID: PatientID, reason: String, now: Date) throws {
        try db.run("""
            INSERT INTO emergency_accesses (staff_id, patient_id, reason, granted_at, expires_at) VALUES (?, ?, ?, ?, ?)
            """, [.integer(staffID.rawValue), .integer(patientID.rawValue), .text(reason), .text(Timestamp.string(now)),
                  .text(Timestamp.string(now.addingTimeInterval(duration)))])
    }

    /// The staff member's grant for the patient that is still running at `now`, if any.
    public static func active(_ db: Connection, staffID: StaffAccountID, patientID: PatientID, now: Date) throws -> EmergencyAccess? {
        try db.queryOne("""
            SELECT * FROM emergency_accesses WHERE staff_id = ?1 AND patient_id = ?2 AND granted_at <= ?3 AND expires_at > ?3
            ORDER BY id DESC LIMIT 1
            """, [.integer(staffID.rawValue), .integer(patientID.rawValue), .text(Timestamp.string(now))])
            .map(access)
    }

    /// Every grant made by staff of an organisation, newest first: the supervisor's review list.
    public static func forOrganisation(_ db: Connection, _ organisationID: DepartmentID) throws -> [EmergencyAccess] {
        try db.query("""
            SELECT emergency_accesses.* FROM emergency_accesses JOIN staff_users ON staff_users.id = emergency_accesses.staff_id
            WHERE staff_users.department_id = ? ORDER BY emergency_accesses.id DESC
            """, [.integer(organisationID.rawValue)]).map(access)
    }

    private static func access(_ row: Row) throws -> EmergencyAccess {
        let table = "emergency_accesses"
        return EmergencyAccess(staffID: StaffAccountID(rawValue: try row.int("staff_id")), patientID: PatientID(rawValue: try row.int("patient_id")),
                               reason: try row.string("reason"), grantedAt: try timestamp(row, "granted_at", table: table),
                               expiresAt: try timestamp(row, "expires_at", table: table))
    }
}
