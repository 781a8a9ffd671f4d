import Foundation
import FollowUp
import Questionnaire
import SQLite

/// Reads the facts the population overview and the automatic lists are computed from, for one
/// department: enrolments, rounds, findings with their first decision, contacts and scores.
///
/// Only reads, and only rows of the department's own enrolments and patients; the arithmetic
/// (rates, medians, bands, filters) is done by pure code in `WebApp`, so it can be tested
/// against hand-computed tables without SQL.
public enum PopulationQuery {
    /// Every enrolment of the department with its rounds, oldest first.
    public static func enrolments(_ db: Connection, departmentID: DepartmentID) throws -> [PopulationEnrolment] {
        try db.query("SELECT id FROM enrolments WHERE department_id = ? ORDER BY id", [.integer(departmentID.rawValue)]).compactMap { row in
            guard let enrolment = try Enrolments.find(db, id: EnrolmentID(rawValue: try row.int("id"))) else { return nil }
            return PopulationEnrolment(enrolment: enrolment, rounds: try Rounds.all(db, enrolment.id))
        }
    }

    /// Every red or yellow response (triage) and every contact request of the department's
    /// patients, with the first decision on it (corrections do not move the time of decision).
    /// A response is tied to the plan of its round; a contact request to no plan.
    public static func findings(_ db: Connection, departmentID: DepartmentID) throws -> [PopulationFinding] {
        let responses = try db.query("""
            SELECT r.id AS id, r.patient_id AS patient, r.authored AS raised, t.colour AS colour, e.plan_id AS plan,
                   (SELECT MIN(d.decided_at) FROM decisions d WHERE d.subject_kind = 'response' AND d.subject_id = r.id) AS decided
            FROM questionnaire_responses r
            JOIN response_triage t ON t.response_id = r.id
            JOIN patients p ON p.id = r.patient_id
            LEFT JOIN invitations i ON i.id = r.invitation_id
            LEFT JOIN follow_up_rounds fr ON fr.id = i.round_id
            LEFT JOIN enrolments e ON e.id = fr.enrolment_id
            WHERE p.department_id = ? AND t.colour IN ('red', 'yellow')
            ORDER BY r.id
            """, [.integer(departmentID.rawValue)]).map { row in
            PopulationFinding(patientID: PatientID(rawValue: try row.int("patient")), planID: try row.optionalString("plan"),
                              colour: TriageColour(rawValue: try row.string("colour")),
                              raisedAt: try timestamp(row, "raised", table: "questionnaire_responses"),
                              decidedAt: try optionalTimestamp(row, "decided", table: "decisions"))
        }
        let requests = try db.query("""
            SELECT c.id AS id, c.patient_id AS patient, c.requested_at AS raised,
                   (SELECT MIN(d.decided_at) FROM decisions d WHERE d.subject_kind = 'contact-request' AND d.subject_id = c.id) AS decided
            FROM contact_requests c JOIN patients p ON p.id = c.patient_id
            WHERE p.department_id = ? ORDER BY c.id
            """, [.integer(departmentID.rawValue)]).map { row in
            PopulationFinding(patientID: PatientID(rawValue: try row.int("patient")), planID: nil, colour: nil,
                              raisedAt: try timestamp(row, "raised", table: "contact_requests"),
                              decidedAt: try optionalTimestamp(row, "decided", table: "decisions"))
        }
        return responses + requests
    }

    /// Every decision about the department's patients that has not been corrected, oldest first.
    public static func decisions(_ db: Connection, departmentID: DepartmentID) throws -> [Decision] {
        try db.query("""
            SELECT d.id AS id FROM decisions d JOIN patients p ON p.id = d.patient_id
            WHERE p.department_id = ? AND NOT EXISTS (SELECT 1 FROM decisions later WHERE later.corrects = d.id)
            ORDER BY d.id
            """, [.integer(departmentID.rawValue)]).compactMap { try Decisions.find(db, id: DecisionID(rawValue: try $0.int("id"))) }
    }

    /// Every computed score of the department's patients, oldest first. The score code is the
    /// score's first code, or its linkId when it has none.
    public static func scores(_ db: Connection, departmentID: DepartmentID) throws -> [PopulationScore] {
        try db.query("""
            SELECT r.patient_id AS patient, r.authored AS authored, COALESCE(s.code, s.link_id) AS code, s.value AS value,
                   s.band AS band, e.plan_id AS plan
            FROM response_scores s JOIN questionnaire_responses r ON r.id = s.response_id
            JOIN patients p ON p.id = r.patient_id
            LEFT JOIN invitations i ON i.id = r.invitation_id
            LEFT JOIN follow_up_rounds fr ON fr.id = i.round_id
            LEFT JOIN enrolments e ON e.id = fr.enrolment_id
            WHERE p.department_id = ? AND s.value IS NOT NULL
            ORDER BY r.authored, r.id
            """, [.integer(departmentID.rawValue)]).map { row in
            PopulationScore(patientID: PatientID(rawValue: try row.int("patient")), planID: try row.optionalString("plan"), code: try row.string("code"),
                            value: try row.string("value"), band: try row.optionalString("band"),
                            authored: try timestamp(row, "authored", table: "questionnaire_responses"))
        }
    }

    /// The department's patients by id.
    public static func patients(_ db: Connection, departmentID: DepartmentID) throws -> [PatientID: Patient] {
        var patients: [PatientID: Patient] = [:]
        for row in try db.query("SELECT id FROM patients WHERE department_id = ?", [.integer(departmentID.rawValue)]) {
            if let patient = try Patients.find(db, id: PatientID(rawValue: try row.int("id"))) { patients[patient.id] = patient }
        }
        return patients
    }

    /// Everything at once, as the overview and the lists read it.
    public static func facts(_ db: Connection, departmentID: DepartmentID) throws -> PopulationFacts {
        PopulationFacts(enrolments: try enrolments(db, departmentID: departmentID), findings: try findings(db, departmentID: departmentID),
                        decisions: try decisions(db, departmentID: departmentID), scores: try scores(db, departmentID: departmentID),
                        patients: try patients(db, departmentID: departmentID))
    }
}
