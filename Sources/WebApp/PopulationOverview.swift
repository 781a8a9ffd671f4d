import FollowUp
import Foundation
import Questionnaire
import Storage

/// The department's outcome figures as count tables, computed from `PopulationFacts` at `now`.
///
/// Pure, so every number is tested against hand-computed fixtures. Every table is over a fixed
/// grouping (plan, plan × round number, plan × calendar month, plan × score code), never over
/// free date ranges, so each can be suppressed once and sliced (see `PopulationTable`).
///
/// Definitions:
/// - **enrolled**: per plan, enrolments by status at `now` (active, paused, ended).
/// - **rounds-by-number / rounds-by-month**: rounds sent (skipped rounds were never sent), by
///   round number or by the local month of sending: answered, expired unanswered, still open.
///   Response rate = answered ÷ (answered + no answer); open rounds are not yet decided.
/// - **colour-mix**: closed rounds by the local month they closed (answered or expired): the
///   round's colour, or "no answer" for an expired round.
/// - **non-responders**: running enrolments by their latest closed round: answered, unanswered
///   (a non-responder), or none closed yet.
/// - **time-to-decision**: red/yellow responses (row of their plan) and contact requests (own
///   row, in every plan's view) by the first decision against the plan's deadline for the
///   colour (a contact request counts as red, with the patient's first running plan):
///   decided in time, late (decided after the deadline, or undecided with the deadline passed),
///   open. Findings without a deadline count as in time once decided.
/// - **visits**: per plan, `fixed` = Σ over enrolments ⌊days enrolled ÷ fixedIntervalDays⌋
///   (days from the start date to the end, or to today), the visits a fixed-interval schedule
///   would have held; `contacts` = the uncorrected phone-call and visit-booked decisions about
///   the patient while enrolled; `green` = rounds closed green. Visits avoided = fixed − contacts
///   (not below zero), computed from the published numbers.
/// - **score-bands**: per plan × score code, each patient's latest score by its band.
struct PopulationOverview: Sendable {
    let enrolled: PopulationTable
    let roundsByNumber: PopulationTable
    let roundsByMonth: PopulationTable
    let colourMix: PopulationTable
    let nonResponders: PopulationTable
    let timeToDecision: PopulationTable
    let visits: PopulationTable
    let scoreBands: PopulationTable
    /// The hours from finding to first decision, per row plan ("" for contact requests).
    let decisionHours: [(plan: String, hours: Double)]

    /// Every table in page order.
    var tables: [PopulationTable] {
        [enrolled, roundsByNumber, roundsByMonth, colourMix, nonResponders, timeToDecision, visits, scoreBands]
    }

    static let roundColumns = ["answered", "no-answer", "open"]
    static let colourColumns = ["red", "yellow", "green", "no-answer"]

    init(facts: PopulationFacts, plans: [FollowUpPlan], now: Date, timeZone: TimeZone) {
        func plan(_ enrolment: StoredEnrolment) -> FollowUpPlan? {
            plans.first { $0.id == enrolment.planID && $0.version == enrolment.planVersion }
        }
        func month(_ instant: Date) -> String {
            let day = CalendarDay(instant, in: timeZone)
            return String(format: "%04d-%02d", day.year, day.month)
        }
        let planIDs = Array(Set(facts.enrolments.map(\.enrolment.planID))).sorted()

        // Enrolments by status.
        var enrolled = Grouping(columns: ["active", "paused", "ended"])
        for item in facts.enrolments {
            let column: Int = switch item.enrolment.schedule.status(at: now) {
            case .active: 0
            case .paused: 1
            case .ended: 2
            }
            enrolled.add(row: item.enrolment.planID, plan: item.enrolment.planID, column: column)
        }
        for id in planIDs { enrolled.ensure(row: id, plan: id) }
        self.enrolled = enrolled.table(id: "enrolled", hasTotals: true)

        // Rounds sent, by number and by month; closed rounds by colour and month.
        var byNumber = Grouping(columns: Self.roundColumns)
        var byMonth = Grouping(columns: Self.roundColumns)
        var colours = Grouping(columns: Self.colourColumns)
        var responders = Grouping(columns: ["answered", "no-answer", "none-closed"])
        for item in facts.enrolments {
            let planID = item.enrolment.planID
            var latestClosed: Int?
            for stored in item.rounds {
                guard case .sent(let sentAt, _, let outcome) = stored.round.state else { continue }
                let column: Int
                switch outcome {
                case .answered(let at, let colour):
                    column = 0
                    colours.add(row: "\(planID) · \(month(at))", plan: planID, column: Self.colourColumns.firstIndex(of: colour.rawValue)!)
                    latestClosed = 0
                case .expired(let at, _, _):
                    column = 1
                    colours.add(row: "\(planID) · \(month(at))", plan: planID, column: 3)
                    latestClosed = 1
                case nil:
                    column = 2
                }
                byNumber.add(row: "\(planID) · \(stored.round.number)", plan: planID, column: column, sortKey: stored.round.number)
                byMonth.add(row: "\(planID) · \(month(sentAt))", plan: planID, column: column)
            }
            if case .ended = item.enrolment.schedule.status(at: now) { continue }
            responders.add(row: planID, plan: planID, column: latestClosed ?? 2)
        }
        roundsByNumber = byNumber.table(id: "rounds-by-number", hasTotals: true)
        roundsByMonth = byMonth.table(id: "rounds-by-month", hasTotals: true)
        colourMix = colours.table(id: "colour-mix", hasTotals: true)
        nonResponders = responders.table(id: "non-responders", hasTotals: true)

        // Time from finding to first decision.
        var decisions = Grouping(columns: ["in-time", "late", "open"])
        var hours: [(plan: String, hours: Double)] = []
        let contactRow = "contact-requests"
        let enrolmentsByPatient = Dictionary(grouping: facts.enrolments, by: \.enrolment.patientID)
        for finding in facts.findings {
            let planID = finding.planID ?? ""
            let rowPlan = finding.colour == nil ? "" : planID
            let own = enrolmentsByPatient[finding.patientID] ?? []
            let followUpPlan = finding.planID.flatMap { id in own.last { $0.enrolment.planID == id }.flatMap { plan($0.enrolment) } }
                ?? own.first.flatMap { plan($0.enrolment) }
            let deadline = followUpPlan?.responseDeadline(for: finding.colour ?? .red, raisedAt: finding.raisedAt, in: timeZone)
            let column: Int
            if let decided = finding.decidedAt {
                column = deadline.map { decided <= $0 } ?? true ? 0 : 1
                hours.append((rowPlan, decided.timeIntervalSince(finding.raisedAt) / 3600))
            } else {
                column = deadline.map { now > $0 } ?? false ? 1 : 2
            }
            decisions.add(row: finding.colour == nil ? contactRow : (planID.isEmpty ? "–" : planID), plan: rowPlan, column: column)
        }
        timeToDecision = decisions.table(id: "time-to-decision", hasTotals: true)
        decisionHours = hours

        // Visits: fixed-interval alternative against contacts.
        var visits = Grouping(columns: ["fixed-interval-visits", "contacts", "closed-green"])
        let contactsByPatient = Dictionary(grouping: facts.decisions.filter(\.kind.isContact), by: \.patientID)
        for item in facts.enrolments {
            let enrolment = item.enrolment
            let planID = enrolment.planID
            visits.ensure(row: planID, plan: planID)
            let startDay = enrolment.schedule.startDate
            let endInstant = enrolment.schedule.endedAt.map { min($0, now) } ?? now
            let endDay = CalendarDay(endInstant, in: timeZone)
            if let followUpPlan = plan(enrolment), followUpPlan.fixedIntervalDays > 0 {
                let days = max(0, startDay.days(until: endDay))
                visits.add(row: planID, plan: planID, column: 0, count: days / followUpPlan.fixedIntervalDays)
            }
            let contacts = (contactsByPatient[enrolment.patientID] ?? []).filter { decision in
                let day = CalendarDay(decision.decidedAt, in: timeZone)
                return day >= startDay && decision.decidedAt <= endInstant
            }
            visits.add(row: planID, plan: planID, column: 1, count: contacts.count)
            let greens = item.rounds.filter { if case .sent(_, _, .answered(_, .green)) = $0.round.state { true } else { false } }
            visits.add(row: planID, plan: planID, column: 2, count: greens.count)
        }
        self.visits = visits.table(id: "visits", hasTotals: false)

        // Score bands: each patient's latest score per plan and code.
        var latest: [String: (plan: String, code: String, band: String)] = [:]
        for score in facts.scores {
            let planID = score.planID ?? ""
            latest["\(score.patientID.rawValue)|\(planID)|\(score.code)"] = (planID, score.code, score.band ?? "no-band")
        }
        let bands = Array(Set(latest.values.map(\.band))).sorted()
        var scoreBands = Grouping(columns: bands.isEmpty ? ["no-band"] : bands)
        for value in latest.values.sorted(by: { ($0.plan, $0.code) < ($1.plan, $1.code) }) {
            scoreBands.add(row: value.plan.isEmpty ? value.code : "\(value.plan) · \(value.code)", plan: value.plan,
                           column: bands.firstIndex(of: value.band) ?? 0)
        }
        self.scoreBands = scoreBands.table(id: "score-bands", hasTotals: true)
    }

    /// The median of `values`: the middle value, or the mean of the two middle ones; nil when empty.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

// MARK: - Building a table row by row

/// Counts added row by row; rows keep a sort key (then their label) so output order is stable.
private struct Grouping {
    let columns: [String]
    private var rows: [String: (plan: String, sortKey: Int, counts: [Int])] = [:]

    init(columns: [String]) { self.columns = columns }

    mutating func ensure(row: String, plan: String, sortKey: Int = 0) {
        if rows[row] == nil { rows[row] = (plan, sortKey, Array(repeating: 0, count: columns.count)) }
    }

    mutating func add(row: String, plan: String, column: Int, count: Int = 1, sortKey: Int = 0) {
        ensure(row: row, plan: plan, sortKey: sortKey)
        rows[row]!.counts[column] += count
    }

    func table(id: String, hasTotals: Bool) -> PopulationTable {
        let ordered = rows.sorted { ($0.value.plan, $0.value.sortKey, $0.key) < ($1.value.plan, $1.value.sortKey, $1.key) }
        return PopulationTable(id: id, rowLabels: ordered.map(\.key), rowPlans: ordered.map(\.value.plan), columnLabels: columns,
                               counts: ordered.map(\.value.counts), hasTotals: hasTotals)
    }
}
