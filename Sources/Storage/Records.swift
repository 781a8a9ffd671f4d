import Foundation
import Questionnaire
import Sharing

/// A row id of one table, typed by the table so that ids of different tables cannot be swapped.
public struct RowID<Table>: RawRepresentable, Hashable, Sendable {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
}

public enum DepartmentTable {}
public enum PatientTable {}
public enum InvitationTable {}
public enum ResponseTable {}
public typealias DepartmentID = RowID<DepartmentTable>
public typealias PatientID = RowID<PatientTable>
public typealias InvitationID = RowID<InvitationTable>
public typealias ResponseID = RowID<ResponseTable>

/// A hospital department that follows its patients by need.
public struct Department: Sendable, Hashable {
    public let id: DepartmentID
    /// The department's SOR code (urn:oid:1.2.208.176.1.1).
    public let sorCode: String
    public let name: String
    /// The number a patient calls; shown on the receipt.
    public let phone: String
    /// What kind of organisation it is: a hospital department (the default), a GP clinic, or a
    /// municipal health or social-services unit.
    public var kind: Organisation.Kind = .hospitalDepartment
    /// For municipal units, the municipality they serve (e.g. 0101 Copenhagen).
    public var municipalityCode: String?
}

/// A patient as far as the questionnaire path needs one.
public struct Patient: Sendable, Hashable {
    public let id: PatientID
    /// The CPR number, ten digits (urn:oid:1.2.208.176.1.2).
    public let cpr: String
    public let name: String
    /// The patient's preferred language ("da" or "en").
    public let language: String
    public let departmentID: DepartmentID
    public let contact: PatientContact
}

/// One request to a patient to answer one exact questionnaire version, reachable through a
/// link whose token is stored only as its SHA-256 hash.
public struct Invitation: Sendable, Hashable {
    public let id: InvitationID
    public let patientID: PatientID
    public let questionnaireURL: String
    public let questionnaireVersion: String
    public let createdAt: Date
    public let expiresAt: Date
    /// The response submitted through this invitation, if any.
    public let responseID: ResponseID?
    /// For staff typing in a paper questionnaire: who, and the day the patient filled it in.
    public let paperEntry: PaperEntry?

    /// `url|version` of the questionnaire, as FHIR's canonical reference writes it.
    public var questionnaireReference: String { "\(questionnaireURL)|\(questionnaireVersion)" }

    /// Whether the link can be used at `now`.
    public func state(at now: Date) -> InvitationState {
        if let responseID { return .submitted(responseID) }
        return now < expiresAt ? .open : .expired
    }
}

/// An invitation that staff use to type in a paper questionnaire.
public struct PaperEntry: Sendable, Hashable {
    public let enteredBy: StaffAccountID
    /// The day on the paper (`YYYY-MM-DD`).
    public let paperDate: String
}

/// What a patient's link leads to at a given moment.
public enum InvitationState: Sendable, Hashable {
    case open
    case submitted(ResponseID)
    case expired
}

/// The answers a patient has given so far, kept between pages so a closed browser loses nothing.
public struct Draft: Sendable, Hashable {
    public let answers: ResponseAnswers
    public let language: String
    /// The page (0-based) the patient goes on with when they open the link again; nil for
    /// the review of all answers.
    public let resumePage: Int?
    public let updatedAt: Date
}

/// A stored QuestionnaireResponse.
public struct StoredResponse: Sendable, Hashable {
    public let id: ResponseID
    /// The FHIR resource id (a UUID).
    public let resourceID: String
    public let invitationID: InvitationID
    public let patientID: PatientID
    public let questionnaireReference: String
    public let authored: Date
    /// The QuestionnaireResponse as FHIR JSON text, exactly as stored.
    public let resourceJSON: String
}
