import Foundation
import JSON
import Security
import SQLite

public enum ResearchProjectTable {}
public typealias ResearchProjectID = RowID<ResearchProjectTable>

/// A research project that may receive pseudonymised exports once its approval is registered.
public struct ResearchProject: Sendable, Hashable {
    public let id: ResearchProjectID
    public let name: String
    /// The export's columns (`ResearchField` names), in order.
    public let fields: [String]
    /// Whether only patients who consented to this project are exported.
    public let requiresConsent: Bool
    /// The project's own pseudonymisation key: 256 random bits, never exported, so two projects'
    /// pseudonyms of one person differ and their data cannot be linked.
    public let secret: [UInt8]
    /// The approval (e.g. the regional ethics committee's or the data controller's case number);
    /// nil until registered, and no export happens without it.
    public let approvalReference: String?
    public let createdAt: Date
}

/// Reads and writes `research_projects` and the consents given to them.
public enum ResearchProjects {
    /// Registers a project, not yet approved.
    public static func register(_ db: Connection, name: String, fields: [String], requiresConsent: Bool, by actor: String,
                                now: Date) throws -> ResearchProject {
        try db.run("""
            INSERT INTO research_projects (name, fields_json, requires_consent, secret, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)
            """, [.text(name), .text(JSON.array(fields.map(JSON.string)).serialized()), .integer(requiresConsent ? 1 : 0),
                  .blob(SecureRandom.bytes(32)), .text(Timestamp.string(now)), .text(actor)])
        return try find(db, id: ResearchProjectID(rawValue: db.lastInsertRowID))!
    }

    /// Registers the project's approval reference.
    public static func approve(_ db: Connection, _ id: ResearchProjectID, reference: String, by actor: String, now: Date) throws {
        guard try db.run("UPDATE research_projects SET approval_reference = ?, approved_at = ?, approved_by = ? WHERE id = ?",
                         [.text(reference), .text(Timestamp.string(now)), .text(actor), .integer(id.rawValue)]) == 1 else {
            throw StorageError.notFound("research project")
        }
    }

    public static func find(_ db: Connection, id: ResearchProjectID) throws -> ResearchProject? {
        try db.queryOne("SELECT * FROM research_projects WHERE id = ?", [.integer(id.rawValue)]).map(project)
    }

    public static func find(_ db: Connection, name: String) throws -> ResearchProject? {
        try db.queryOne("SELECT * FROM research_projects WHERE name = ?", [.text(name)]).map(project)
    }

    /// Records that a patient gave (or withdrew) consent to the project; the latest entry counts.
    public static func recordConsent(_ db: Connection, _ id: ResearchProjectID, patientID: PatientID, given: Bool, now: Date) throws {
        try db.run("INSERT INTO research_consents (project_id, patient_id, given, at) VALUES (?, ?, ?, ?)",
                   [.integer(id.rawValue), .integer(patientID.rawValue), .integer(given ? 1 : 0), .text(Timestamp.string(now))])
    }

    /// The patients whose latest consent entry for the project is a consent.
    public static func consenting(_ db: Connection, _ id: ResearchProjectID) throws -> Set<PatientID> {
        Set(try db.query("""
            SELECT patient_id FROM research_consents AS latest
            WHERE project_id = ?1 AND given = 1
              AND id = (SELECT max(id) FROM research_consents WHERE project_id = ?1 AND patient_id = latest.patient_id)
            """, [.integer(id.rawValue)]).map { PatientID(rawValue: try $0.int("patient_id")) })
    }

    private static func project(_ row: Row) throws -> ResearchProject {
        let table = "research_projects"
        guard let fields = try? JSON.parse(Array(try row.string("fields_json").utf8)).arrayValue?.compactMap(\.stringValue) else {
            throw StorageError.corruptValue(table: table, column: "fields_json")
        }
        return ResearchProject(id: ResearchProjectID(rawValue: try row.int("id")), name: try row.string("name"), fields: fields,
                               requiresConsent: try row.int("requires_consent") == 1, secret: try row.optionalBlob("secret") ?? [],
                               approvalReference: try row.optionalString("approval_reference"),
                               createdAt: try timestamp(row, "created_at", table: table))
    }
}
