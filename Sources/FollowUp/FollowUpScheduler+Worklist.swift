import Foundation
import Questionnaire

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
