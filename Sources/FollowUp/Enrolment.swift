import Foundation

/// One patient's enrolment in one follow-up plan: when it starts, when it was paused and
/// resumed, and whether it has ended.
///
/// The whole pause history is kept (not only the current state) because the scheduler must
/// know when the patient was resumed to continue from that date, and whether a pause fell
/// inside an open response window.
public struct Enrolment: Sendable, Hashable {
    /// A stretch of time in which the patient gets nothing (admission, holiday, own wish).
    public struct Pause: Sendable, Hashable {
        public var from: Date
        /// When follow-up resumed; nil while still paused.
        public var until: Date?

        public init(from: Date, until: Date? = nil) {
            self.from = from
            self.until = until
        }

        /// Whether `instant` falls inside the pause (`from` inclusive, `until` exclusive).
        public func covers(_ instant: Date) -> Bool {
            from <= instant && until.map { instant < $0 } ?? true
        }
    }

    /// The state at one instant.
    public enum Status: Sendable, Hashable {
        case active
        case paused(since: Date)
        case ended(at: Date)
    }

    /// The storage key of the enrolment; part of every action key.
    public var id: String
    /// The due date of round 1 (the department chooses it when enrolling, e.g. the date the
    /// next routine visit would have been).
    public var startDate: CalendarDay
    /// Pauses in any order; they must not overlap.
    public var pauses: [Pause]
    /// When follow-up ended (discharge, death, moved to another plan); nil while it runs.
    public var endedAt: Date?
    /// A clinician's date for the next questionnaire, set when assessing a round ("interval
    /// changed"); it replaces the plan's interval for the round after `afterRound` only.
    public var nextDueOverride: NextDueOverride?

    /// The next questionnaire's date as a clinician decided it after round `afterRound`.
    public struct NextDueOverride: Sendable, Hashable {
        public var afterRound: Int
        public var dueDate: CalendarDay

        public init(afterRound: Int, dueDate: CalendarDay) {
            self.afterRound = afterRound
            self.dueDate = dueDate
        }
    }

    public init(id: String, startDate: CalendarDay, pauses: [Pause] = [], endedAt: Date? = nil,
                nextDueOverride: NextDueOverride? = nil) {
        self.id = id
        self.startDate = startDate
        self.pauses = pauses
        self.endedAt = endedAt
        self.nextDueOverride = nextDueOverride
    }

    /// Ended wins over paused; paused when a pause covers `instant`.
    public func status(at instant: Date) -> Status {
        if let endedAt, endedAt <= instant { return .ended(at: endedAt) }
        if let pause = pauses.first(where: { $0.covers(instant) }) { return .paused(since: pause.from) }
        return .active
    }

    /// The pauses ordered by start.
    var orderedPauses: [Pause] {
        pauses.sorted { $0.from < $1.from }
    }
}
