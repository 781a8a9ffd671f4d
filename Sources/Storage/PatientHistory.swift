import Foundation
import SQLite

/// Reads what the clinician pages need that no other repository gives: a patient's responses
/// in order, and which patient and enrolment a finding belongs to.
public enum PatientHistory {
    /// A patient's stored responses, oldest first (ties by id).
    public static func responses(_ db: Connection, _ patientID: PatientID) throws -> [StoredResponse] {
        try db.query("SELECT id FROM questionnaire_responses WHERE patient_id = ? ORDER BY authored, id",
                     [.integer(patientID.rawValue)]).compactMap { row in
            try Responses.find(db, id: ResponseID(rawValue: try row.int("id")))
        }
    }

    /// The patient a finding is about; nil when the finding does not exist.
    public static func patientID(_ db: Connection, of subject: Decision.Subject) throws -> PatientID? {
        switch subject {
        case .response(let id):
            return try Responses.find(db, id: id)?.patientID
        case .round(let id):
            return try Rounds.find(db, id: id).flatMap { try Enrolments.find(db, id: $0.enrolmentID) }?.patientID
        case .contactRequest(let id):
            return try db.queryOne("SELECT patient_id FROM contact_requests WHERE id = ?", [.integer(id.rawValue)])
                .map { PatientID(rawValue: try $0.int("patient_id")) }
        }
    }

    /// The enrolment a finding belongs to: the round's (a response's through its invitation);
    /// nil for contact requests and one-off invitations.
    public static func enrolmentID(_ db: Connection, of subject: Decision.Subject) throws -> EnrolmentID? {
        switch subject {
        case .response(let id):
            guard let response = try Responses.find(db, id: id),
                  let round = try Invitations.roundID(db, of: response.invitationID) else { return nil }
            return try Rounds.find(db, id: round)?.enrolmentID
        case .round(let id):
            return try Rounds.find(db, id: id)?.enrolmentID
        case .contactRequest:
            return nil
        }
    }
}
