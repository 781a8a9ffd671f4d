import FollowUp
import Foundation
import Storage

/// An automatic list: the department's patients that meet a `PopulationListFilter` at `now`,
/// each with the values the criteria look at and the date of every value.
///
/// Pure: facts in, rows out. A patient is on the list when they have a running enrolment (in
/// the filter's plan, when one is set) and every criterion that is set holds:
/// - due: the earliest next due date of those enrolments (`FollowUpScheduler.nextDueDate`)
///   falls from today to today + N days;
/// - score: their latest score with the code (any plan) compares true with the value;
/// - silent: the latest answered round of those enrolments (or, with none, the earliest start
///   date) is more than N days before today;
/// - contact: their last uncorrected phone-call or visit-booked decision is more than N days
///   before today, or there is none;
/// - non-responders: the latest closed round of one of those enrolments expired unanswered.
struct PopulationList: Sendable {
    /// One patient on the list.
    struct Row: Sendable {
        var patient: Patient
        var plans: [String]
        var nextDue: CalendarDay?
        var latestScore: (value: String, at: Date)?
        var lastAnswer: Date?
        var lastContact: (kind: Decision.Kind, at: Date)?
    }

    /// The matching patients, by name.
    let rows: [Row]

    init(facts: PopulationFacts, plans: [FollowUpPlan], filter: PopulationListFilter, now: Date, timeZone: TimeZone) {
        let today = CalendarDay(now, in: timeZone)
        var running: [PatientID: [PopulationEnrolment]] = [:]
        for item in facts.enrolments where filter.plan == nil || item.enrolment.planID == filter.plan {
            if case .ended = item.enrolment.schedule.status(at: now) { continue }
            running[item.enrolment.patientID, default: []].append(item)
        }
        let scoresByPatient = Dictionary(grouping: facts.scores, by: \.patientID)
        let contactsByPatient = Dictionary(grouping: facts.decisions.filter(\.kind.isContact), by: \.patientID)
        var rows: [Row] = []
        for (patientID, enrolments) in running {
            guard let patient = facts.patients[patientID] else { continue }
            let nextDue = enrolments.compactMap { item -> CalendarDay? in
                guard let plan = plans.first(where: { $0.id == item.enrolment.planID && $0.version == item.enrolment.planVersion }) else {
                    return nil
                }
                return FollowUpScheduler(plan: plan, timeZone: timeZone)
                    .nextDueDate(for: item.enrolment.schedule, rounds: item.rounds.map(\.round))
            }.min()
            let lastAnswer = enrolments.flatMap(\.rounds).compactMap { stored -> Date? in
                if case .sent(_, _, .answered(let at, _)) = stored.round.state { at } else { nil }
            }.max()
            let score = filter.score.flatMap { criterion in scoresByPatient[patientID]?.last { $0.code == criterion.code } }
            let contact = contactsByPatient[patientID]?.last
            let row = Row(patient: patient, plans: enrolments.map(\.enrolment.planID).sorted(), nextDue: nextDue,
                          latestScore: score.map { ($0.value, $0.authored) }, lastAnswer: lastAnswer,
                          lastContact: contact.map { ($0.kind, $0.decidedAt) })
            func daysSince(_ instant: Date) -> Int { CalendarDay(instant, in: timeZone).days(until: today) }
            if let days = filter.dueWithinDays {
                guard let nextDue, nextDue >= today, today.days(until: nextDue) <= days else { continue }
            }
            if let criterion = filter.score {
                guard let score, let value = Decimal(string: score.value, locale: Locale(identifier: "en_US_POSIX")),
                      criterion.comparison.holds(value, criterion.value) else { continue }
            }
            if let days = filter.silentDays {
                let since = lastAnswer.map(daysSince) ?? (enrolments.map(\.enrolment.schedule.startDate).min().map { $0.days(until: today) } ?? 0)
                guard since > days else { continue }
            }
            if filter.nonResponders {
                let unanswered = enrolments.contains { item in
                    let closed = item.rounds.last { stored in
                        if case .sent(_, _, .some) = stored.round.state { true } else { false }
                    }
                    if case .sent(_, _, .expired?) = closed?.round.state { return true }
                    return false
                }
                guard unanswered else { continue }
            }
            if let days = filter.contactDays, let contact {
                guard daysSince(contact.decidedAt) > days else { continue }
            }
            rows.append(row)
        }
        self.rows = rows.sorted { ($0.patient.name, $0.patient.id.rawValue) < ($1.patient.name, $1.patient.id.rawValue) }
    }
}
