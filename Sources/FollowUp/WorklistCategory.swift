import Foundation
import Questionnaire

/// Where a patient stands on the clinician's worklist, in the order the clinic works through it.
///
/// The nurse "starts the day with the questionnaires sorted by colour" (AmbuFlex, MISSION.md):
/// red first, then yellow, then those who did not answer, then those with a questionnaire out
/// or due soon, then green.
public enum WorklistCategory: Int, Sendable, Hashable, Comparable, CaseIterable {
    case red = 0, yellow, noAnswer, dueSoon, green

    public static func < (lhs: WorklistCategory, rhs: WorklistCategory) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// The stored word: `red`, `yellow`, `no-answer`, `due-soon`, `green`.
    public var code: String {
        switch self {
        case .red: "red"
        case .yellow: "yellow"
        case .noAnswer: "no-answer"
        case .dueSoon: "due-soon"
        case .green: "green"
        }
    }

    /// For clinicians, in Danish with English.
    public var label: LocalizedText {
        switch self {
        case .red: LocalizedText("Rød", translations: ["en": "Red"])
        case .yellow: LocalizedText("Gul", translations: ["en": "Yellow"])
        case .noAnswer: LocalizedText("Intet svar", translations: ["en": "No answer"])
        case .dueSoon: LocalizedText("Skema udsendt eller snart", translations: ["en": "Questionnaire out or due soon"])
        case .green: LocalizedText("Grøn", translations: ["en": "Green"])
        }
    }
}

/// An enrolment's place on the worklist, derived from its rounds.
public struct WorklistStatus: Sendable, Hashable {
    public var category: WorklistCategory
    /// When the finding was raised: the answer or the expiry; nil otherwise.
    public var raisedAt: Date?
    /// The department's deadline under the plan's working-day rule; nil when none applies.
    public var deadline: Date?
    /// The consecutive non-response level when the latest round expired.
    public var nonResponseLevel: Int?

    public init(category: WorklistCategory, raisedAt: Date? = nil, deadline: Date? = nil, nonResponseLevel: Int? = nil) {
        self.category = category
        self.raisedAt = raisedAt
        self.deadline = deadline
        self.nonResponseLevel = nonResponseLevel
    }
}

extension FollowUpScheduler {
    /// The worklist status from the latest round that is not skipped.
    ///
    /// An open round is `dueSoon` (a questionnaire is out). A closed one shows its colour:
    /// an answer red or yellow; a non-response `noAnswer`, or `red` when the plan's escalation
    /// made it red (a second silence in a row means "contact the patient"). A green answer, or
    /// no round yet, is `dueSoon` when the next round is due within `dueSoonWithinDays` of
    /// `now`'s local day, else green. Whether a clinician has already handled the finding is
    /// the integrator's to record; this is the state before that.
    public func worklistStatus(for enrolment: Enrolment, rounds: [FollowUpRound], now: Date, dueSoonWithinDays: Int = 7) -> WorklistStatus {
        let latest = rounds.last(where: { $0.sentAt != nil })
        switch latest?.state {
        case .sent(_, _, nil):
            return WorklistStatus(category: .dueSoon)
        case .sent(_, _, .answered(let at, let colour)) where colour != .green:
            return WorklistStatus(category: colour == .red ? .red : .yellow, raisedAt: at,
                                  deadline: plan.responseDeadline(for: colour, raisedAt: at, in: timeZone))
        case .sent(_, _, .expired(let at, let colour, let level)):
            return WorklistStatus(category: colour == .red ? .red : .noAnswer, raisedAt: at,
                                  deadline: plan.responseDeadline(for: colour, raisedAt: at, in: timeZone), nonResponseLevel: level)
        default:
            let today = CalendarDay(now, in: timeZone)
            let soon = nextDueDate(for: enrolment, rounds: rounds).map { today.days(until: $0) <= dueSoonWithinDays } ?? false
            return WorklistStatus(category: soon ? .dueSoon : .green)
        }
    }
}
