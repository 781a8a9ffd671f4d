import Foundation
import FollowUp
import Questionnaire

/// One enrolment with its rounds in order.
public struct PopulationEnrolment: Sendable, Hashable {
    public let enrolment: StoredEnrolment
    public let rounds: [StoredRound]

    public init(enrolment: StoredEnrolment, rounds: [StoredRound]) {
        self.enrolment = enrolment
        self.rounds = rounds
    }
}

/// A red or yellow response, or a contact request (`colour` nil), and when it was first decided on.
public struct PopulationFinding: Sendable, Hashable {
    public let patientID: PatientID
    /// The plan of the response's round; nil for contact requests and responses outside a round.
    public let planID: String?
    public let colour: TriageColour?
    public let raisedAt: Date
    public let decidedAt: Date?

    public init(patientID: PatientID, planID: String?, colour: TriageColour?, raisedAt: Date, decidedAt: Date?) {
        self.patientID = patientID
        self.planID = planID
        self.colour = colour
        self.raisedAt = raisedAt
        self.decidedAt = decidedAt
    }
}

/// One computed score of one response.
public struct PopulationScore: Sendable, Hashable {
    public let patientID: PatientID
    /// The plan of the response's round; nil for a response outside a round.
    public let planID: String?
    /// The score's code (or linkId when it has no code).
    public let code: String
    /// The value as stored (decimal text).
    public let value: String
    public let band: String?
    public let authored: Date

    public init(patientID: PatientID, planID: String?, code: String, value: String, band: String?, authored: Date) {
        self.patientID = patientID
        self.planID = planID
        self.code = code
        self.value = value
        self.band = band
        self.authored = authored
    }
}

/// Everything `PopulationQuery.facts` reads for one department.
public struct PopulationFacts: Sendable {
    public let enrolments: [PopulationEnrolment]
    public let findings: [PopulationFinding]
    /// Decisions that have not been corrected, oldest first.
    public let decisions: [Decision]
    /// Scores, oldest first.
    public let scores: [PopulationScore]
    public let patients: [PatientID: Patient]

    public init(enrolments: [PopulationEnrolment], findings: [PopulationFinding], decisions: [Decision], scores: [PopulationScore],
                patients: [PatientID: Patient]) {
        self.enrolments = enrolments
        self.findings = findings
        self.decisions = decisions
        self.scores = scores
        self.patients = patients
    }
}
