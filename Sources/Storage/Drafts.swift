import Foundation
import JSON
import Questionnaire
import SQLite

/// Reads and writes `drafts`: the answers of an invitation not yet submitted.
public enum Drafts {
    /// The draft of an invitation, if the patient has saved a page.
    public static func find(_ db: Connection, invitationID: InvitationID) throws -> Draft? {
        guard let row = try db.queryOne("SELECT * FROM drafts WHERE invitation_id = ?",
                                        [.integer(invitationID.rawValue)]) else { return nil }
        guard let answers = try? ResponseAnswers(json: JSON.parse(try row.string("answers_json"))) else {
            throw StorageError.corruptValue(table: "drafts", column: "answers_json")
        }
        return Draft(answers: answers, language: try row.string("language"),
                     resumePage: try row.optionalInt("resume_page").map { Int($0) },
                     updatedAt: try timestamp(row, "updated_at", table: "drafts"))
    }

    /// Replaces the draft of an invitation.
    public static func save(_ db: Connection, invitationID: InvitationID, answers: ResponseAnswers,
                            language: String, resumePage: Int?, now: Date) throws {
        try db.run("""
            INSERT INTO drafts (invitation_id, answers_json, language, resume_page, updated_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (invitation_id) DO UPDATE SET
                answers_json = excluded.answers_json, language = excluded.language,
                resume_page = excluded.resume_page, updated_at = excluded.updated_at
            """, [.integer(invitationID.rawValue), .text(answers.json.serialized()), .text(language),
                  SQLValue(resumePage), .text(Timestamp.string(now))])
    }
}
