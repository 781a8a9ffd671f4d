import Foundation
import Security
import SQLite

/// Reads and writes `invitations`.
///
/// The link token itself is never stored: only its SHA-256 hash, so a copy of the database
/// does not hand out working links.
public enum Invitations {
    /// Creates an invitation with a fresh random token; returns the invitation and the token,
    /// which exists only in this return value and the link sent to the patient.
    public static func create(_ db: Connection, patientID: PatientID, questionnaireURL: String,
                              questionnaireVersion: String, now: Date,
                              validFor: Duration) throws -> (invitation: Invitation, token: String) {
        let createdAt = Timestamp.truncated(now)
        return try create(db, patientID: patientID, questionnaireURL: questionnaireURL, questionnaireVersion: questionnaireVersion,
                          now: now, expiresAt: createdAt.addingTimeInterval(TimeInterval(validFor.components.seconds)), roundID: nil)
    }

    /// Creates an invitation that expires at `expiresAt`, for a follow-up round when `roundID`
    /// is given; returns the invitation and its token.
    public static func create(_ db: Connection, patientID: PatientID, questionnaireURL: String,
                              questionnaireVersion: String, now: Date, expiresAt: Date,
                              roundID: RoundID?) throws -> (invitation: Invitation, token: String) {
        let token = SecretToken.generate()
        let createdAt = Timestamp.truncated(now)
        let expiresAt = Timestamp.truncated(expiresAt)
        try db.run("""
            INSERT INTO invitations (token_hash, patient_id, questionnaire_url, questionnaire_version, created_at, expires_at, round_id)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.blob(tokenHash(token)), .integer(patientID.rawValue), .text(questionnaireURL),
                  .text(questionnaireVersion), .text(Timestamp.string(createdAt)), .text(Timestamp.string(expiresAt)),
                  roundID.map { .integer($0.rawValue) } ?? .null])
        let invitation = Invitation(id: InvitationID(rawValue: db.lastInsertRowID), patientID: patientID,
                                    questionnaireURL: questionnaireURL, questionnaireVersion: questionnaireVersion,
                                    createdAt: createdAt, expiresAt: expiresAt, responseID: nil, paperEntry: nil)
        return (invitation, token)
    }

    /// An invitation for staff to type in a patient's paper questionnaire dated `paperDate`
    /// (`YYYY-MM-DD`); it works like a patient's link for `validFor`, and the response records
    /// the staff member and the paper's date.
    public static func createForPaper(_ db: Connection, patientID: PatientID, questionnaireURL: String, questionnaireVersion: String,
                                      enteredBy: StaffAccountID, paperDate: String, now: Date,
                                      validFor: Duration) throws -> (invitation: Invitation, token: String) {
        let created = try create(db, patientID: patientID, questionnaireURL: questionnaireURL, questionnaireVersion: questionnaireVersion,
                                 now: now, validFor: validFor)
        try db.run("UPDATE invitations SET entered_by = ?, paper_date = ? WHERE id = ?",
                   [.integer(enteredBy.rawValue), .text(paperDate), .integer(created.invitation.id.rawValue)])
        return (try find(db, token: created.token)!, created.token)
    }

    /// A further link to an existing invitation, for a reminder: the first link's token exists
    /// only in the first message, so a reminder carries a new one. Both open the same
    /// invitation, with the same draft, until it expires.
    public static func addLink(_ db: Connection, to invitationID: InvitationID, now: Date) throws -> String {
        let token = SecretToken.generate()
        try db.run("INSERT INTO invitation_links (token_hash, invitation_id, created_at) VALUES (?, ?, ?)",
                   [.blob(tokenHash(token)), .integer(invitationID.rawValue), .text(Timestamp.string(now))])
        return token
    }

    /// The invitation a link token opens, if any.
    public static func find(_ db: Connection, token: String) throws -> Invitation? {
        try db.queryOne("""
            SELECT invitations.*, questionnaire_responses.id AS response_id
            FROM invitations LEFT JOIN questionnaire_responses ON questionnaire_responses.invitation_id = invitations.id
            WHERE invitations.token_hash = ?1
               OR invitations.id = (SELECT invitation_id FROM invitation_links WHERE token_hash = ?1)
            """, [.blob(tokenHash(token))]).map(invitation)
    }

    /// The invitations of a follow-up round, in the order they were created.
    public static func forRound(_ db: Connection, _ roundID: RoundID) throws -> [Invitation] {
        try db.query("""
            SELECT invitations.*, questionnaire_responses.id AS response_id
            FROM invitations LEFT JOIN questionnaire_responses ON questionnaire_responses.invitation_id = invitations.id
            WHERE invitations.round_id = ? ORDER BY invitations.id
            """, [.integer(roundID.rawValue)]).map(invitation)
    }

    /// The round an invitation belongs to; nil for one-off invitations.
    public static func roundID(_ db: Connection, of invitationID: InvitationID) throws -> RoundID? {
        try db.queryOne("SELECT round_id FROM invitations WHERE id = ?", [.integer(invitationID.rawValue)])?
            .optionalInt("round_id").map(RoundID.init(rawValue:))
    }

    /// The hash under which a token is stored.
    static func tokenHash(_ token: String) -> [UInt8] {
        SHA256.hash(Array(token.utf8))
    }

    private static func invitation(_ row: Row) throws -> Invitation {
        Invitation(id: InvitationID(rawValue: try row.int("id")),
                   patientID: PatientID(rawValue: try row.int("patient_id")),
                   questionnaireURL: try row.string("questionnaire_url"),
                   questionnaireVersion: try row.string("questionnaire_version"),
                   createdAt: try timestamp(row, "created_at", table: "invitations"),
                   expiresAt: try timestamp(row, "expires_at", table: "invitations"),
                   responseID: try row.optionalInt("response_id").map(ResponseID.init(rawValue:)),
                   paperEntry: try row.optionalInt("entered_by").map { staff in
                       PaperEntry(enteredBy: StaffAccountID(rawValue: staff), paperDate: try row.string("paper_date"))
                   })
    }
}

/// Reads a stored timestamp column, naming the column when it is unreadable.
func timestamp(_ row: Row, _ column: String, table: String) throws -> Date {
    guard let date = Timestamp.date(try row.string(column)) else {
        throw StorageError.corruptValue(table: table, column: column)
    }
    return date
}
