import Foundation
import FollowUp
import Questionnaire
import Security
import SQLite

public enum EnrolmentTable {}
public enum RoundTable {}
public enum OutboxTable {}
public enum DecisionTable {}
public enum ContactRequestTable {}
public enum StaffAccountTable {}
public typealias EnrolmentID = RowID<EnrolmentTable>
public typealias RoundID = RowID<RoundTable>
public typealias OutboxID = RowID<OutboxTable>
public typealias DecisionID = RowID<DecisionTable>
public typealias ContactRequestID = RowID<ContactRequestTable>
public typealias StaffAccountID = RowID<StaffAccountTable>

/// A patient's enrolment in one follow-up plan, as stored.
public struct StoredEnrolment: Sendable, Hashable {
    public let id: EnrolmentID
    public let patientID: PatientID
    public let departmentID: DepartmentID
    /// The plan's id and version (`Questionnaires/plans/`); a plan change updates both.
    public let planID: String
    public let planVersion: String
    /// The whole history the scheduler needs: start, pauses, end.
    public let schedule: Enrolment
    public let createdAt: Date

    /// `id|version` of the plan.
    public var planReference: String { "\(planID)|\(planVersion)" }

    /// The string id the scheduler's action keys carry (`e-17`).
    static func scheduleID(_ id: EnrolmentID) -> String { "e-\(id.rawValue)" }
}

/// One round of an enrolment, with its row id.
public struct StoredRound: Sendable, Hashable {
    public let id: RoundID
    public let enrolmentID: EnrolmentID
    public let round: FollowUpRound
    /// When the round's links stop working; nil for skipped rounds.
    public let expiresAt: Date?
}

/// What a message says; kept in the outbox only until it is delivered, because it carries the
/// patient's link.
public struct OutboxMessage: Sendable, Hashable {
    public var subject: String
    public var text: String
    public var html: String
    /// The left part of the Message-ID, fixed when the message is queued so every retry sends
    /// the same Message-ID and a mail program can recognise a duplicate (RFC 5322 §3.6.4).
    public var messageID: String

    public init(subject: String, text: String, html: String, messageID: String = Hex.encode(SecureRandom.bytes(16))) {
        self.subject = subject
        self.text = text
        self.html = html
        self.messageID = messageID
    }
}

/// One message in the transactional outbox.
public struct OutboxItem: Sendable, Hashable {
    public enum Purpose: String, Sendable, Hashable { case invitation, reminder }
    public enum Channel: String, Sendable, Hashable { case email, letter }
    public enum State: String, Sendable, Hashable { case pending, delivered, dead }

    public let id: OutboxID
    public let createdAt: Date
    public let purpose: Purpose
    public let channel: Channel
    public let patientID: PatientID
    public let roundID: RoundID?
    /// The e-mail address; nil for letters.
    public let recipient: String?
    /// nil once delivered (the link is not kept after it has reached the patient).
    public let message: OutboxMessage?
    public let state: State
    public let attempts: Int
    public let nextAttemptAt: Date
    public let deliveredAt: Date?
    /// The last failure, in the relay's own words, for staff.
    public let lastError: String?
}

/// How one delivery attempt ended.
public enum DeliveryOutcome: Sendable, Hashable {
    case delivered
    /// Worth retrying at `retryAt`; nil gives up (too many attempts).
    case transient(detail: String, retryAt: Date?)
    /// Will not succeed by retrying (the relay refused the address).
    case permanent(detail: String)
}

/// A staff member who signs in to the clinician pages.
public struct StaffAccount: Sendable, Hashable {
    public let id: StaffAccountID
    public let username: String
    public let displayName: String
    public let departmentID: DepartmentID
    public let role: String
    /// The self-describing password hash (PBKDF2), never the password.
    public let passwordHash: String
    /// Whether the name is kept from patients (their access log shows organisation and role only).
    public var isProtected: Bool = false
}

/// What a clinician decided about a finding; append-only, a correction points at what it corrects.
public struct Decision: Sendable, Hashable {
    /// The finding decided on.
    public enum Subject: Sendable, Hashable {
        case response(ResponseID)
        case round(RoundID)
        case contactRequest(ContactRequestID)

        var kind: String {
            switch self {
            case .response: "response"
            case .round: "round"
            case .contactRequest: "contact-request"
            }
        }

        var rowID: Int64 {
            switch self {
            case .response(let id): id.rawValue
            case .round(let id): id.rawValue
            case .contactRequest(let id): id.rawValue
            }
        }

        init?(kind: String, rowID: Int64) {
            switch kind {
            case "response": self = .response(ResponseID(rawValue: rowID))
            case "round": self = .round(RoundID(rawValue: rowID))
            case "contact-request": self = .contactRequest(ContactRequestID(rawValue: rowID))
            default: return nil
            }
        }
    }

    /// The assessment, after the FUT ClinicalImpression idea: what the clinician did.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case noAction = "no-action"
        case phoneCall = "phone-call"
        case visitBooked = "visit-booked"
        case intervalChanged = "interval-changed"
        case referred
        case followUpEnded = "follow-up-ended"

        /// Whether the decision records a contact with the patient ("last contact").
        public var isContact: Bool { self == .phoneCall || self == .visitBooked }
    }

    public let id: DecisionID
    public let patientID: PatientID
    public let subject: Subject
    public let kind: Kind
    /// The booked visit's date, for `visitBooked`.
    public let visitDate: CalendarDay?
    /// The date of the next questionnaire the clinician set (a changed interval); nil keeps the plan's.
    public let nextDueDate: CalendarDay?
    public let note: String?
    public let decidedBy: StaffAccountID
    public let decidedAt: Date
    /// The earlier decision this one corrects.
    public let corrects: DecisionID?
}

/// A patient's request to be contacted, made from their own page outside any questionnaire.
public struct ContactRequest: Sendable, Hashable {
    public let id: ContactRequestID
    public let patientID: PatientID
    public let requestedAt: Date
    public let message: String?
}

/// Reads an optional stored timestamp column, naming the column when it is unreadable.
func optionalTimestamp(_ row: Row, _ column: String, table: String) throws -> Date? {
    guard let text = try row.optionalString(column) else { return nil }
    guard let date = Timestamp.date(text) else { throw StorageError.corruptValue(table: table, column: column) }
    return date
}

/// Reads an optional stored calendar day (`YYYY-MM-DD`).
func optionalDay(_ row: Row, _ column: String, table: String) throws -> CalendarDay? {
    guard let text = try row.optionalString(column) else { return nil }
    guard let day = CalendarDay(iso: text) else { throw StorageError.corruptValue(table: table, column: column) }
    return day
}
