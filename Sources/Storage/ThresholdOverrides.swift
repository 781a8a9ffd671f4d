import Foundation
import SQLite

/// One change of a per-patient threshold: who set which value for which rule, when and why.
public struct ThresholdOverride: Sendable, Hashable {
    public let questionnaireURL: String
    public let ruleID: String
    /// The patient's threshold; nil when the change returned the patient to the rule's default.
    public let threshold: Decimal?
    public let setBy: String
    public let setAt: Date
    public let reason: String?
}

/// Reads and writes `threshold_overrides`: per-patient values of a triage rule's `%threshold`.
///
/// The table is append-only — a change is a new row, a return to the default a row without a
/// value — so the history of who changed a patient's threshold and when is never lost, and
/// the value in force is simply the newest row per rule.
public enum ThresholdOverrides {
    /// Records a new threshold (or, with nil, a return to the default) for a patient's rule.
    public static func set(_ db: Connection, patientID: PatientID, questionnaireURL: String, ruleID: String,
                           threshold: Decimal?, setBy: String, reason: String?, now: Date) throws {
        try db.run("""
            INSERT INTO threshold_overrides (patient_id, questionnaire_url, rule_id, threshold, set_by, set_at, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.integer(patientID.rawValue), .text(questionnaireURL), .text(ruleID), SQLValue(threshold?.description),
                  .text(setBy), .text(Timestamp.string(now)), SQLValue(reason)])
    }

    /// The thresholds in force for a patient's questionnaire, by rule id.
    public static func current(_ db: Connection, patientID: PatientID, questionnaireURL: String) throws -> [String: Decimal] {
        var thresholds: [String: Decimal] = [:]
        for change in try history(db, patientID: patientID, questionnaireURL: questionnaireURL) {
            thresholds[change.ruleID] = change.threshold
        }
        return thresholds
    }

    /// Every change for a patient's questionnaire, oldest first.
    public static func history(_ db: Connection, patientID: PatientID, questionnaireURL: String) throws -> [ThresholdOverride] {
        try db.query("""
            SELECT * FROM threshold_overrides WHERE patient_id = ? AND questionnaire_url = ? ORDER BY id
            """, [.integer(patientID.rawValue), .text(questionnaireURL)]).map { row in
            let text = try row.optionalString("threshold")
            guard text.map({ Decimal(string: $0) != nil }) ?? true else {
                throw StorageError.corruptValue(table: "threshold_overrides", column: "threshold")
            }
            return ThresholdOverride(questionnaireURL: try row.string("questionnaire_url"), ruleID: try row.string("rule_id"),
                                     threshold: text.flatMap { Decimal(string: $0) }, setBy: try row.string("set_by"),
                                     setAt: try timestamp(row, "set_at", table: "threshold_overrides"),
                                     reason: try row.optionalString("reason"))
        }
    }
}
