import Foundation
import Questionnaire

/// Decides, as a pure function of plan, enrolment, stored rounds and `now`, which invitations,
/// reminders, skips and expiries are due (docs/follow-up-plans.md, "Scheduling").
///
/// Every event happens at the plan's send time (local `sendHour:sendMinute` in `timeZone`) on
/// some day, so patients get mail at a civil hour and a run at 03:00 sends nothing early.
/// Calling again with the history after the actions were applied returns nothing new; after
/// downtime it catches up with at most one invitation per enrolment.
public struct FollowUpScheduler: Sendable {
    public var plan: FollowUpPlan
    public var timeZone: TimeZone
    /// Local hour (0–23) at which invitations, reminders and expiries happen.
    public var sendHour: Int
    public var sendMinute: Int

    /// `sendHour` 0–23 and `sendMinute` 0–59 (a programming error otherwise).
    public init(plan: FollowUpPlan, timeZone: TimeZone, sendHour: Int = 8, sendMinute: Int = 0) {
        precondition((0...23).contains(sendHour) && (0...59).contains(sendMinute), "send time out of range")
        self.plan = plan
        self.timeZone = timeZone
        self.sendHour = sendHour
        self.sendMinute = sendMinute
    }

    // MARK: Actions

    /// The actions due at `now`, in the order they must be applied.
    ///
    /// - An ended or paused enrolment gets nothing.
    /// - An open round whose expiry has passed expires (no reminders first); otherwise the
    ///   latest reminder that is due and not yet sent goes out (missed earlier ones are dropped).
    /// - With no open round, every round whose send time has passed is found; all but the
    ///   latest are skipped and the latest is invited, so a patient never gets a flood.
    public func actions(for enrolment: Enrolment, rounds: [FollowUpRound], now: Date) -> [FollowUpAction] {
        guard case .active = enrolment.status(at: now) else { return [] }
        var actions: [FollowUpAction] = []
        var history = rounds
        if let open = history.last, open.isOpen, let sentAt = open.sentAt {
            let window = responseWindow(sentAt: sentAt, enrolment: enrolment)
            if now >= window.expiresAt {
                let level = nonResponseLevel(before: history.dropLast())
                actions.append(FollowUpAction(enrolmentID: enrolment.id, round: open.number,
                                              kind: .expire(colour: plan.nonResponseColour(level: level), level: level)))
                history = FollowUpAction.applying(actions, to: history, at: now)
            } else {
                if let index = window.reminders.lastIndex(where: { $0 <= now }), index + 1 > open.remindersSent {
                    actions.append(FollowUpAction(enrolmentID: enrolment.id, round: open.number,
                                                  kind: .remind(index: index + 1, expiresAt: window.expiresAt)))
                }
                return actions
            }
        }
        return actions + invitations(for: enrolment, history: history, now: now)
    }

    /// Skips for every overdue round but the latest, and the invitation of the latest. Skipped
    /// rounds leave the interval unchanged, so it is computed once.
    private func invitations(for enrolment: Enrolment, history: [FollowUpRound], now: Date) -> [FollowUpAction] {
        let interval = intervalDays(after: history)
        var overdue: [CalendarDay] = []
        var previous = history.last?.dueDate
        var previousNumber = history.last?.number ?? 0
        while let due = dueDate(following: previous, number: previousNumber, intervalDays: interval, enrolment: enrolment),
              sendInstant(due) <= now {
            overdue.append(due)
            previous = due
            previousNumber += 1
        }
        guard let latest = overdue.last else { return [] }
        let firstNumber = (history.last?.number ?? 0) + 1
        let skips = overdue.dropLast().enumerated().map { offset, due in
            FollowUpAction(enrolmentID: enrolment.id, round: firstNumber + offset, kind: .skip(dueDate: due))
        }
        let expiresAt = sendInstant(CalendarDay(now, in: timeZone).adding(days: plan.expiryDays))
        let invite = FollowUpAction(enrolmentID: enrolment.id, round: firstNumber + overdue.count - 1,
                                    kind: .invite(dueDate: latest, expiresAt: expiresAt, questionnaires: plan.questionnaires))
        return skips + [invite]
    }

    // MARK: Dates

    /// The due date of the next round to send, to show the patient ("next questionnaire on …").
    ///
    /// The previous round's due date plus the current interval (round 1: the enrolment's start
    /// date) or the date a clinician set after that round, moved to the resume day when a pause covers its send time. Counting from the due
    /// date rather than the answer date keeps the rhythm fixed: late answers do not push every
    /// later round back, and non-responses and skipped rounds, which have no answer date,
    /// follow the same rule. Nil while a round is open (its outcome decides the interval),
    /// during an open-ended pause, or when the enrolment ends before that date.
    public func nextDueDate(for enrolment: Enrolment, rounds: [FollowUpRound]) -> CalendarDay? {
        if rounds.last?.isOpen == true { return nil }
        return dueDate(following: rounds.last?.dueDate, number: rounds.last?.number ?? 0, intervalDays: intervalDays(after: rounds),
                       enrolment: enrolment)
    }

    /// `previous` + `intervalDays` (the start date when there is no previous round) — or the
    /// clinician's date when one was set after round `number`, the previous round — moved to the
    /// resume day when a pause covers its send time; nil as for `nextDueDate`.
    private func dueDate(following previous: CalendarDay?, number: Int, intervalDays: Int, enrolment: Enrolment) -> CalendarDay? {
        var due = previous.map { $0.adding(days: intervalDays) } ?? enrolment.startDate
        if let override = enrolment.nextDueOverride, override.afterRound == number { due = override.dueDate }
        for pause in enrolment.orderedPauses where pause.covers(sendInstant(due)) {
            guard let until = pause.until else { return nil }
            due = max(due, CalendarDay(until, in: timeZone))
        }
        if let endedAt = enrolment.endedAt, endedAt <= sendInstant(due) { return nil }
        return due
    }

    /// The interval in days from the last round to the next under the adaptive rule.
    ///
    /// Replays the closed rounds in order: a green answer counts towards the plan's run of
    /// consecutive greens and each completed run multiplies the interval (capped); a yellow or
    /// red answer or a non-response resets to the base interval. Skipped and open rounds are
    /// neutral: downtime is not the patient's doing.
    public func intervalDays(after rounds: [FollowUpRound]) -> Int {
        var interval = plan.baseIntervalDays
        var greens = 0
        for round in rounds {
            switch round.outcome {
            case .answered(_, .green):
                greens += 1
                if let adaptive = plan.adaptive, greens % adaptive.consecutiveGreens == 0 { interval = plan.lengthened(interval) }
            case .answered, .expired:
                greens = 0
                interval = plan.baseIntervalDays
            case nil:
                continue
            }
        }
        return interval
    }

    /// The send instant on `day`.
    public func sendInstant(_ day: CalendarDay) -> Date {
        day.instant(hour: sendHour, minute: sendMinute, in: timeZone)
    }

    // MARK: Response window

    /// When the reminders of a round sent at `sentAt` fall due and when it expires.
    public struct ResponseWindow: Sendable, Hashable {
        /// The day counting starts from: the sending day, or the resume day after a pause.
        public var start: CalendarDay
        public var reminders: [Date]
        public var expiresAt: Date
    }

    /// The window of an open round. Counted in days from the local day it was sent; a pause
    /// that overlaps the window restarts it on the resume day, so a patient who was paused
    /// (admitted, away) gets the full time to answer.
    public func responseWindow(sentAt: Date, enrolment: Enrolment) -> ResponseWindow {
        var start = CalendarDay(sentAt, in: timeZone)
        for pause in enrolment.orderedPauses {
            guard let until = pause.until, until > sentAt,
                  pause.from < sendInstant(start.adding(days: plan.expiryDays)) else { continue }
            start = max(start, CalendarDay(until, in: timeZone))
        }
        return ResponseWindow(start: start,
                              reminders: plan.reminderDays.map { sendInstant(start.adding(days: $0)) },
                              expiresAt: sendInstant(start.adding(days: plan.expiryDays)))
    }

    /// 1 + the number of non-responses directly before (skipped rounds do not break the run).
    private func nonResponseLevel(before rounds: ArraySlice<FollowUpRound>) -> Int {
        var level = 1
        for round in rounds.reversed() {
            switch round.outcome {
            case .expired: level += 1
            case .answered: return level
            case nil: continue
            }
        }
        return level
    }
}
