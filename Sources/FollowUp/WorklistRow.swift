import Foundation
import Questionnaire

/// One line of the clinician's worklist: who, which plan, how urgent, why, and by when.
public struct WorklistRow: Sendable, Hashable {
    /// The row's identity (e.g. the enrolment id); never shown.
    public var id: String
    public var patientName: String
    public var cpr: CPRNumber
    /// The plan's id.
    public var planID: String
    public var category: WorklistCategory
    /// Why the row has its colour (triage findings, "no answer twice in a row").
    public var reasons: [LocalizedText]
    /// When the latest response arrived; nil when none.
    public var answeredAt: Date?
    /// The department's deadline from the working-day rule; nil when none applies.
    public var deadline: Date?
    /// The clinician the row is assigned to; nil when unassigned.
    public var assignedClinician: String?
    /// The last recorded contact with the patient.
    public var lastContact: Date?

    public init(id: String, patientName: String, cpr: CPRNumber, planID: String, category: WorklistCategory,
                reasons: [LocalizedText] = [], answeredAt: Date? = nil, deadline: Date? = nil,
                assignedClinician: String? = nil, lastContact: Date? = nil) {
        self.id = id
        self.patientName = patientName
        self.cpr = cpr
        self.planID = planID
        self.category = category
        self.reasons = reasons
        self.answeredAt = answeredAt
        self.deadline = deadline
        self.assignedClinician = assignedClinician
        self.lastContact = lastContact
    }
}
