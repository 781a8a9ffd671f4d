import Foundation
import Questionnaire
@testable import FollowUp

/// Runs the scheduler once a day over a stretch of days, as the server's job would, applying
/// every action and letting a scripted patient answer; records what happened.
struct Simulation {
    /// What the patient does with round n: answer `afterDays` days after it was sent, at noon,
    /// with `colour`, or never (nil).
    var answers: [Int: (afterDays: Int, colour: TriageColour)]
    var scheduler: FollowUpScheduler
    var enrolment: Enrolment
    var rounds: [FollowUpRound] = []
    /// `YYYY-MM-DD action` lines in order.
    private(set) var log: [String] = []
    /// Every action key ever returned, to check that none repeats.
    private(set) var keys: [FollowUpAction.Key] = []
    /// Calls that returned something when called again right after applying (must stay empty).
    private(set) var repeated: [String] = []

    init(scheduler: FollowUpScheduler = Fixtures.scheduler(), enrolment: Enrolment = Fixtures.enrolment(),
         answers: [Int: (afterDays: Int, colour: TriageColour)]) {
        self.scheduler = scheduler
        self.enrolment = enrolment
        self.answers = answers
    }

    /// Runs the scheduler at `hour`:00 local on every day from `from` through `through`,
    /// except the days in `down` (server down), and lets the patient answer at noon.
    mutating func run(from: String, through: String, hour: Int = 9, down: ClosedRange<CalendarDay>? = nil) {
        var day = Fixtures.day(from)
        while day <= Fixtures.day(through) {
            if down?.contains(day) != true { tick(at: day.instant(hour: hour, in: Fixtures.copenhagen)) }
            answerIfScripted(on: day)
            day = day.adding(days: 1)
        }
    }

    /// One scheduler run at `now`: apply the actions, then check that a second call is empty.
    mutating func tick(at now: Date) {
        let actions = scheduler.actions(for: enrolment, rounds: rounds, now: now)
        let day = CalendarDay(now, in: Fixtures.copenhagen)
        log += actions.map { "\(day) \(Fixtures.describe($0))" }
        keys += actions.map(\.key)
        rounds = FollowUpAction.applying(actions, to: rounds, at: now)
        let again = scheduler.actions(for: enrolment, rounds: rounds, now: now)
        repeated += again.map { "\(day) \(Fixtures.describe($0))" }
    }

    private mutating func answerIfScripted(on day: CalendarDay) {
        guard let index = rounds.indices.last, case .sent(let sentAt, let reminders, nil) = rounds[index].state,
              let script = answers[rounds[index].number],
              CalendarDay(sentAt, in: Fixtures.copenhagen).adding(days: script.afterDays) == day else { return }
        let at = day.instant(hour: 12, in: Fixtures.copenhagen)
        rounds[index].state = .sent(at: sentAt, remindersSent: reminders, outcome: .answered(at: at, colour: script.colour))
        log.append("\(day) answer \(rounds[index].number) \(script.colour.rawValue)")
    }
}
