import Foundation
import JSON
import SQLite

/// Who gave the answers: the patient, a relative on the patient's behalf, or staff typing in a
/// paper questionnaire. Stored with the response and written into the QuestionnaireResponse.
public enum Respondent: Sendable, Hashable {
    case patient
    /// A relative answering for the patient; `relation` in their own words ("datter", "ægtefælle").
    case proxy(relation: String)
    /// Staff entering a paper questionnaire, with the staff member's name and the instant the
    /// patient filled in the paper (the response's `authored`).
    case paper(enteredBy: StaffAccountID, staffName: String, filledIn: Date)
    /// The patient answered in another system, which sent the answers through the FHIR API:
    /// `author` is a reference to that system's organisation, `answeredAt` the response's
    /// `authored` as sent, `identifier` the sender's own id for the response (kept so a
    /// resend can be recognised).
    case sectorSystem(author: JSON, answeredAt: Date, identifier: JSON?)

    /// The QuestionnaireResponse with `source` (FHIR R4: "the person who answered the
    /// questions") and, for paper, `author` (who entered the answers): a relative is a
    /// contained RelatedPerson of the patient with the relation as text.
    func annotated(_ resource: JSON, subject: JSON) -> JSON {
        guard var object = resource.objectValue else { return resource }
        switch self {
        case .patient:
            object["source"] = subject
        case .proxy(let relation):
            object["contained"] = [["resourceType": "RelatedPerson", "id": "respondent", "patient": subject,
                                    "relationship": [["text": .string(relation)]]]]
            object["source"] = ["reference": "#respondent"]
        case .paper(_, let staffName, _):
            object["source"] = subject
            object["author"] = ["display": .string(staffName)]
        case .sectorSystem(let author, _, let identifier):
            object["source"] = subject
            object["author"] = author
            object["identifier"] = identifier
        }
        return .object(object)
    }

    /// When the answers were given: the paper's date for paper, the sender's for another
    /// system, else the submission.
    func authored(submittedAt now: Date) -> Date {
        switch self {
        case .paper(_, _, let filledIn): filledIn
        case .sectorSystem(_, let answeredAt, _): answeredAt
        case .patient, .proxy: now
        }
    }

    /// The values of `source`, `proxy_relation` and `entered_by`.
    var columns: [SQLValue] {
        switch self {
        case .patient, .sectorSystem: [.text("patient"), .null, .null]
        case .proxy(let relation): [.text("proxy"), .text(relation), .null]
        case .paper(let staff, _, _): [.text("paper"), .null, .integer(staff.rawValue)]
        }
    }
}
