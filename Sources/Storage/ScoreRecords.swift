import Questionnaire
import SQLite

/// Reads and writes `response_scores` and `response_flags`: the scores and flags of each stored
/// response, computed in its submission's transaction, so they can be listed and queried
/// without evaluating anything again.
public enum ScoreRecords {
    /// Stores the scores and flags of a response.
    public static func insert(_ db: Connection, responseID: ResponseID, evaluation: Evaluation) throws {
        for score in evaluation.scores {
            let code = score.codes.first
            try db.run("""
                INSERT INTO response_scores (response_id, link_id, code_system, code, value, unit, band)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.integer(responseID.rawValue), .text(score.linkId), SQLValue(code?.system), SQLValue(code?.code),
                      SQLValue(score.value?.description), SQLValue(score.unit?.code), SQLValue(score.band?.code)])
        }
        for flag in evaluation.flags {
            try db.run("INSERT INTO response_flags (response_id, code) VALUES (?, ?)", [.integer(responseID.rawValue), .text(flag.code)])
        }
    }

    /// The stored scores of a response, by score linkId: value text (nil when not computed) and band.
    public static func find(_ db: Connection, responseID: ResponseID) throws -> [String: (value: String?, band: String?)] {
        var scores: [String: (value: String?, band: String?)] = [:]
        for row in try db.query("SELECT link_id, value, band FROM response_scores WHERE response_id = ?", [.integer(responseID.rawValue)]) {
            scores[try row.string("link_id")] = (try row.optionalString("value"), try row.optionalString("band"))
        }
        return scores
    }

    /// The flags raised by a response.
    public static func flags(_ db: Connection, responseID: ResponseID) throws -> [String] {
        try db.query("SELECT code FROM response_flags WHERE response_id = ? ORDER BY code", [.integer(responseID.rawValue)])
            .map { try $0.string("code") }
    }
}
