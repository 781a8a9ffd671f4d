import Foundation
import JSON
import Questionnaire
import SQLite

/// Reads and writes `questionnaire_responses` and their normalised `response_answers`.
public enum Responses {
    /// What a submission did.
    public enum SubmitOutcome: Sendable, Hashable {
        /// The response was stored now.
        case stored(ResponseID)
        /// This invitation already has a response (a double click, a replayed POST): nothing new
        /// was stored, and the receipt of the first submission stands.
        case alreadySubmitted(ResponseID)
    }

    /// Stores the answers of an invitation as one QuestionnaireResponse — with its calculated
    /// scores as the score items' answers — its answer rows, its scores and flags and its triage
    /// (with the patient's own thresholds), and removes the draft; run inside one write
    /// transaction so all or nothing is stored.
    ///
    /// Idempotent per invitation: an invitation opens one submission, so a second call finds
    /// the first response and stores nothing.
    /// The round it belongs to is closed when this was its last unanswered questionnaire.
    public static func submit(_ db: Connection, invitation: Invitation, patient: Patient,
                              definition: QuestionnaireDefinition, answers: ResponseAnswers,
                              resourceID: String, respondent: Respondent = .patient, now: Date) throws -> SubmitOutcome {
        if let existing = try id(db, invitationID: invitation.id) { return .alreadySubmitted(existing) }
        let thresholds = try ThresholdOverrides.current(db, patientID: patient.id, questionnaireURL: definition.url)
        let evaluation = definition.evaluate(answers, thresholds: thresholds, now: now)
        let authored = Timestamp.string(respondent.authored(submittedAt: now))
        let subject: JSON = ["identifier": ["system": "urn:oid:1.2.208.176.1.2", "value": .string(patient.cpr)]]
        let resource = respondent.annotated(definition.makeResponse(answers: evaluation.answers, id: resourceID, subject: subject,
                                                                    authored: authored, status: "completed"), subject: subject)
        try db.run("""
            INSERT INTO questionnaire_responses
                (resource_id, invitation_id, patient_id, questionnaire_url, questionnaire_version, authored, resource_json,
                 source, proxy_relation, entered_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(resourceID), .integer(invitation.id.rawValue), .integer(patient.id.rawValue),
                  .text(definition.url), .text(definition.version), .text(authored), .text(resource.serialized())]
                + respondent.columns)
        let responseID = ResponseID(rawValue: db.lastInsertRowID)
        try insertAnswerRows(db, responseID: responseID, items: definition.items, answers: evaluation.answers)
        try ScoreRecords.insert(db, responseID: responseID, evaluation: evaluation)
        try TriageRecords.insert(db, responseID: responseID, result: evaluation.triage)
        // Push (issue 6): notifications for subscribers, in this same transaction.
        try Subscriptions.enqueueNotifications(db, patientID: patient.id, resourceID: resourceID, colour: evaluation.triage.colour,
                                               now: now)
        try db.run("DELETE FROM drafts WHERE invitation_id = ?", [.integer(invitation.id.rawValue)])
        if let roundID = try Invitations.roundID(db, of: invitation.id) { try Rounds.closeIfAnswered(db, roundID, now: now) }
        return .stored(responseID)
    }

    /// The response submitted through an invitation, if any.
    public static func id(_ db: Connection, invitationID: InvitationID) throws -> ResponseID? {
        try db.queryOne("SELECT id FROM questionnaire_responses WHERE invitation_id = ?", [.integer(invitationID.rawValue)])
            .map { ResponseID(rawValue: try $0.int("id")) }
    }

    /// The stored response with this id, if any.
    public static func find(_ db: Connection, id: ResponseID) throws -> StoredResponse? {
        try db.queryOne("SELECT * FROM questionnaire_responses WHERE id = ?", [.integer(id.rawValue)]).map(storedResponse)
    }

    /// The stored response with this FHIR id (`QuestionnaireResponse.id`), if any.
    public static func find(_ db: Connection, resourceID: String) throws -> StoredResponse? {
        try db.queryOne("SELECT * FROM questionnaire_responses WHERE resource_id = ?", [.text(resourceID)]).map(storedResponse)
    }

    private static func storedResponse(_ row: Row) throws -> StoredResponse {
        StoredResponse(
            id: ResponseID(rawValue: try row.int("id")), resourceID: try row.string("resource_id"),
            invitationID: InvitationID(rawValue: try row.int("invitation_id")),
            patientID: PatientID(rawValue: try row.int("patient_id")),
            questionnaireReference: "\(try row.string("questionnaire_url"))|\(try row.string("questionnaire_version"))",
            authored: try timestamp(row, "authored", table: "questionnaire_responses"),
            resourceJSON: try row.string("resource_json"))
    }

    /// Every stored response to any version of a questionnaire, oldest first, with its stored
    /// triage: what a candidate rule set is replayed against.
    public static func all(_ db: Connection, questionnaireURL: String) throws -> [(StoredResponse, TriageResult?)] {
        try db.query("SELECT id FROM questionnaire_responses WHERE questionnaire_url = ? ORDER BY authored, id",
                     [.text(questionnaireURL)]).compactMap { row in
            let id = ResponseID(rawValue: try row.int("id"))
            return try find(db, id: id).map { ($0, try TriageRecords.find(db, responseID: id)) }
        }
    }

    /// How many responses are stored; for operations and tests.
    public static func count(_ db: Connection) throws -> Int {
        Int(try db.queryOne("SELECT count(*) AS n FROM questionnaire_responses")?.int("n") ?? 0)
    }

    private static func insertAnswerRows(_ db: Connection, responseID: ResponseID,
                                         items: [QuestionnaireItem], answers: ResponseAnswers) throws {
        for item in items {
            for (position, value) in answers.values(item.linkId).enumerated() {
                let row = AnswerRow(value)
                try db.run("""
                    INSERT INTO response_answers
                        (response_id, link_id, position, value_type, value_text, value_number, value_system, value_code)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, [.integer(responseID.rawValue), .text(item.linkId), .integer(Int64(position)),
                          .text(row.type), SQLValue(row.text), SQLValue(row.number), SQLValue(row.system), SQLValue(row.code)])
            }
            try insertAnswerRows(db, responseID: responseID, items: item.items, answers: answers)
        }
    }
}

/// One answer value spread over the columns of `response_answers`, so answers can be
/// queried in SQL without parsing FHIR JSON: numbers as exact decimal text, never through
/// binary floating point.
struct AnswerRow: Equatable {
    var type: String
    var text: String?
    var number: String?
    var system: String?
    var code: String?

    init(_ value: AnswerValue) {
        switch value {
        case .boolean(let flag): self.init(type: "boolean", number: flag ? "1" : "0")
        case .decimal(let number): self.init(type: "decimal", number: "\(number)")
        case .integer(let number): self.init(type: "integer", number: String(number))
        case .date(let date): self.init(type: "date", text: date)
        case .dateTime(let dateTime): self.init(type: "dateTime", text: dateTime)
        case .string(let text): self.init(type: "string", text: text)
        case .coding(let coding): self.init(type: "coding", text: coding.display, system: coding.system, code: coding.code)
        case .quantity(let quantity):
            self.init(type: "quantity", text: quantity.unit, number: "\(quantity.value)", system: quantity.system, code: quantity.code)
        }
    }

    init(type: String, text: String? = nil, number: String? = nil, system: String? = nil, code: String? = nil) {
        self.type = type
        self.text = text
        self.number = number
        self.system = system
        self.code = code
    }
}
