import Foundation
import Questionnaire

/// One round of an enrolment as stored: its number, due date and what has happened to it.
///
/// Rounds are numbered 1, 2, 3, … without gaps; a round the system did not send because a
/// later one was already due (after downtime) is stored as skipped, so the numbering and the
/// history stay complete.
public struct FollowUpRound: Sendable, Hashable {
    /// What became of the round.
    public enum State: Sendable, Hashable {
        /// Not sent because a later round was already due when the scheduler caught up.
        case skipped(at: Date)
        /// Invitation sent at `at`; `remindersSent` is the highest reminder index sent
        /// (1-based, 0 for none; missed reminders are not sent late); `outcome` nil while open.
        case sent(at: Date, remindersSent: Int, outcome: Outcome?)
    }

    /// How a sent round closed.
    public enum Outcome: Sendable, Hashable {
        /// Answered, with the round's triage colour (the most severe of its questionnaires).
        /// A late answer after expiry replaces the expiry.
        case answered(at: Date, colour: TriageColour)
        /// No answer before expiry: non-response with the plan's colour for this escalation
        /// level (1 = first consecutive non-response).
        case expired(at: Date, colour: TriageColour, level: Int)
    }

    public var number: Int
    public var dueDate: CalendarDay
    public var state: State

    public init(number: Int, dueDate: CalendarDay, state: State) {
        self.number = number
        self.dueDate = dueDate
        self.state = state
    }

    /// When the invitation went out; nil for skipped rounds.
    public var sentAt: Date? {
        if case .sent(let at, _, _) = state { return at }
        return nil
    }

    /// The outcome of a sent round; nil while open or when skipped.
    public var outcome: Outcome? {
        if case .sent(_, _, let outcome) = state { return outcome }
        return nil
    }

    /// Sent and neither answered nor expired.
    public var isOpen: Bool {
        if case .sent(_, _, nil) = state { return true }
        return false
    }

    /// Reminders sent so far (highest index).
    public var remindersSent: Int {
        if case .sent(_, let count, _) = state { return count }
        return 0
    }
}
