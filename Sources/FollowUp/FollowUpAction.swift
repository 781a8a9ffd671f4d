import Foundation
import Questionnaire

/// Something the scheduler says must happen now for one round of one enrolment.
///
/// Each action carries a stable `key`; storing actions under a UNIQUE constraint on the key
/// makes them exactly-once even when two scheduler runs race or a run is repeated after a crash.
public struct FollowUpAction: Sendable, Hashable {
    /// The kind of an action as a stored word.
    public enum KindName: String, Sendable, Hashable, CaseIterable {
        case skip, invitation, reminder, expiry
    }

    /// `(enrolmentID, round, kind, index)`: unique for the life of an enrolment.
    public struct Key: Sendable, Hashable, CustomStringConvertible {
        public var enrolmentID: String
        public var round: Int
        public var kind: KindName
        /// The reminder's index (1-based); 0 for the other kinds.
        public var index: Int

        public init(enrolmentID: String, round: Int, kind: KindName, index: Int = 0) {
            self.enrolmentID = enrolmentID
            self.round = round
            self.kind = kind
            self.index = index
        }

        /// `enrolmentID/round/kind/index`, e.g. `e-17/4/reminder/2`.
        public var description: String { "\(enrolmentID)/\(round)/\(kind.rawValue)/\(index)" }
    }

    /// What to do.
    public enum Kind: Sendable, Hashable {
        /// Record round `round` as skipped: it fell due during downtime and a later round is due.
        case skip(dueDate: CalendarDay)
        /// Send the invitation for the round's questionnaires; the link expires at `expiresAt`.
        case invite(dueDate: CalendarDay, expiresAt: Date, questionnaires: [FollowUpPlan.QuestionnaireReference])
        /// Send reminder `index` (1-based) for the open round, which expires at `expiresAt`.
        case remind(index: Int, expiresAt: Date)
        /// Close the round as non-response with this colour at this escalation level.
        case expire(colour: TriageColour, level: Int)
    }

    public var enrolmentID: String
    public var round: Int
    public var kind: Kind

    public init(enrolmentID: String, round: Int, kind: Kind) {
        self.enrolmentID = enrolmentID
        self.round = round
        self.kind = kind
    }

    /// The exactly-once key.
    public var key: Key {
        switch kind {
        case .skip: Key(enrolmentID: enrolmentID, round: round, kind: .skip)
        case .invite: Key(enrolmentID: enrolmentID, round: round, kind: .invitation)
        case .remind(let index, _): Key(enrolmentID: enrolmentID, round: round, kind: .reminder, index: index)
        case .expire: Key(enrolmentID: enrolmentID, round: round, kind: .expiry)
        }
    }
}
