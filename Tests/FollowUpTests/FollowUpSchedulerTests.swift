import Foundation
import Questionnaire
import Testing
@testable import FollowUp

@Suite struct FollowUpSchedulerTests {
    typealias F = Fixtures

    // MARK: A simulated year

    /// One enrolment through 2026 under the test plan (base 30 days, reminders after 3 and 7,
    /// expiry after 10, ×1.5 after every 2 greens up to 60, non-response yellow then red):
    /// four greens lengthen the interval to 45 and then 60 (67 capped), a yellow resets it,
    /// two silences escalate to red, a red answer keeps the base, and a green after a reminder
    /// counts as green.
    @Test func aSimulatedYearSendsEveryInvitationReminderAndExpiryOnItsDay() {
        var simulation = Simulation(answers: [
            1: (2, .green), 2: (2, .green), 3: (2, .green), 4: (2, .green), 5: (1, .yellow),
            8: (1, .red), 9: (4, .green), 10: (1, .green),
        ])
        simulation.run(from: "2026-01-01", through: "2026-12-31")
        #expect(simulation.log == [
            "2026-01-05 invite 1 due 2026-01-05", "2026-01-07 answer 1 green",
            "2026-02-04 invite 2 due 2026-02-04", "2026-02-06 answer 2 green", // 2 greens: 30 → 45
            "2026-03-21 invite 3 due 2026-03-21", "2026-03-23 answer 3 green",
            "2026-05-05 invite 4 due 2026-05-05", "2026-05-07 answer 4 green", // 4 greens: 45 → 67, capped at 60
            "2026-07-04 invite 5 due 2026-07-04", "2026-07-05 answer 5 yellow", // reset to 30
            "2026-08-03 invite 6 due 2026-08-03",
            "2026-08-06 remind 6.1", "2026-08-10 remind 6.2", "2026-08-13 expire 6 yellow 1",
            "2026-09-02 invite 7 due 2026-09-02",
            "2026-09-05 remind 7.1", "2026-09-09 remind 7.2", "2026-09-12 expire 7 red 2",
            "2026-10-02 invite 8 due 2026-10-02", "2026-10-03 answer 8 red",
            "2026-11-01 invite 9 due 2026-11-01", "2026-11-04 remind 9.1", "2026-11-05 answer 9 green",
            "2026-12-01 invite 10 due 2026-12-01", "2026-12-02 answer 10 green",
        ])
        #expect(simulation.repeated.isEmpty)
        #expect(Set(simulation.keys).count == simulation.keys.count)
        #expect(F.scheduler().nextDueDate(for: simulation.enrolment, rounds: simulation.rounds) == F.day("2027-01-15"))
    }

    /// Running the job every hour instead of once a day sends the same things on the same days.
    @Test func runningEveryHourSendsTheSameAsRunningDaily() {
        var daily = Simulation(answers: [:])
        daily.run(from: "2026-01-01", through: "2026-04-30")
        var hourly = Simulation(answers: [:])
        var day = F.day("2026-01-01")
        while day <= F.day("2026-04-30") {
            for hour in 0..<24 { hourly.tick(at: day.instant(hour: hour, minute: 30, in: F.copenhagen)) }
            day = day.adding(days: 1)
        }
        #expect(hourly.log == daily.log)
        #expect(hourly.log.prefix(4) == ["2026-01-05 invite 1 due 2026-01-05", "2026-01-08 remind 1.1", "2026-01-12 remind 1.2", "2026-01-15 expire 1 yellow 1"])
        #expect(hourly.repeated.isEmpty)
        #expect(Set(hourly.keys).count == hourly.keys.count)
    }

    // MARK: Catch-up

    /// The server is down for 40 days; the first run afterwards sends at most one invitation
    /// and records the rounds it passed over as skipped.
    @Test(arguments: [
        // Round 1 answered; rounds 2 (due 02-04) and 3 (due 03-06) fall in the downtime.
        ("2026-02-01", "2026-03-12", [1: (1, TriageColour.green)],
         ["2026-01-05 invite 1 due 2026-01-05", "2026-01-06 answer 1 green",
          "2026-03-13 skip 2 due 2026-02-04", "2026-03-13 invite 3 due 2026-03-06",
          "2026-03-16 remind 3.1", "2026-03-20 remind 3.2", "2026-03-23 expire 3 yellow 1",
          "2026-04-05 invite 4 due 2026-04-05"]),
        // Round 1 open when the server goes down: it expires (no late reminders), round 2 goes out.
        ("2026-01-06", "2026-02-14", [:],
         ["2026-01-05 invite 1 due 2026-01-05",
          "2026-02-15 expire 1 yellow 1", "2026-02-15 invite 2 due 2026-02-04",
          "2026-02-18 remind 2.1", "2026-02-22 remind 2.2", "2026-02-25 expire 2 red 2",
          "2026-03-06 invite 3 due 2026-03-06", "2026-03-09 remind 3.1", "2026-03-13 remind 3.2", "2026-03-16 expire 3 red 3",
          "2026-04-05 invite 4 due 2026-04-05"]),
        // Down over both reminders but not the expiry: only the latest reminder is sent.
        ("2026-01-07", "2026-01-13", [:],
         ["2026-01-05 invite 1 due 2026-01-05", "2026-01-14 remind 1.2", "2026-01-15 expire 1 yellow 1",
          "2026-02-04 invite 2 due 2026-02-04", "2026-02-07 remind 2.1", "2026-02-11 remind 2.2", "2026-02-14 expire 2 red 2",
          "2026-03-06 invite 3 due 2026-03-06", "2026-03-09 remind 3.1", "2026-03-13 remind 3.2", "2026-03-16 expire 3 red 3",
          "2026-04-05 invite 4 due 2026-04-05"]),
    ] as [(String, String, [Int: (afterDays: Int, colour: TriageColour)], [String])])
    func catchUpAfterDowntimeSendsOnlyTheLatestDueRound(downFrom: String, downThrough: String, answers: [Int: (afterDays: Int, colour: TriageColour)], expected: [String]) {
        var simulation = Simulation(answers: answers)
        simulation.run(from: "2026-01-01", through: "2026-04-05", down: F.day(downFrom)...F.day(downThrough))
        #expect(simulation.log == expected)
        #expect(simulation.repeated.isEmpty)
        #expect(Set(simulation.keys).count == simulation.keys.count)
    }

    @Test func aLateInvitationGetsTheFullResponseWindow() throws {
        let rounds = [F.answered(1, due: "2026-01-05", colour: .green)]
        let now = F.at("2026-03-13", 9)
        let actions = F.scheduler().actions(for: F.enrolment(), rounds: rounds, now: now)
        #expect(actions.map(F.describe) == ["skip 2 due 2026-02-04", "invite 3 due 2026-03-06"])
        guard case .invite(_, let expiresAt, let questionnaires) = try #require(actions.last).kind else {
            Issue.record("expected an invitation")
            return
        }
        #expect(expiresAt == F.at("2026-03-23", 8))
        #expect(questionnaires.map(\.reference) == ["http://x/q|1"])
        #expect(actions.map(\.key.description) == ["e1/2/skip/0", "e1/3/invitation/0"])
    }

    // MARK: Pause, resume, end

    @Test(arguments: [
        // Paused over the due date of round 2 (02-04): sent on the resume day, next from there.
        ([Enrolment.Pause(from: F.at("2026-01-20", 10), until: F.at("2026-03-10", 7))], [1: (1, TriageColour.green), 2: (1, .green)],
         ["2026-01-05 invite 1 due 2026-01-05", "2026-01-06 answer 1 green",
          "2026-03-10 invite 2 due 2026-03-10", "2026-03-11 answer 2 green",
          "2026-04-24 invite 3 due 2026-04-24"]),
        // Resumed in the afternoon: round 2 goes out on the next run, still due on the resume day.
        ([Enrolment.Pause(from: F.at("2026-01-20", 10), until: F.at("2026-03-10", 15))], [1: (1, .green), 2: (1, .green)],
         ["2026-01-05 invite 1 due 2026-01-05", "2026-01-06 answer 1 green",
          "2026-03-11 invite 2 due 2026-03-10", "2026-03-12 answer 2 green",
          "2026-04-24 invite 3 due 2026-04-24"]),
        // A short pause between rounds changes nothing.
        ([Enrolment.Pause(from: F.at("2026-01-10", 10), until: F.at("2026-01-20", 10))], [1: (1, .green), 2: (1, .green)],
         ["2026-01-05 invite 1 due 2026-01-05", "2026-01-06 answer 1 green",
          "2026-02-04 invite 2 due 2026-02-04", "2026-02-05 answer 2 green",
          "2026-03-21 invite 3 due 2026-03-21"]),
        // Paused inside round 1's window: no reminders while paused, a full window from the resume day.
        ([Enrolment.Pause(from: F.at("2026-01-07", 10), until: F.at("2026-01-20", 7))], [:],
         ["2026-01-05 invite 1 due 2026-01-05", "2026-01-23 remind 1.1", "2026-01-27 remind 1.2", "2026-01-30 expire 1 yellow 1",
          "2026-02-04 invite 2 due 2026-02-04"]),
    ] as [([Enrolment.Pause], [Int: (afterDays: Int, colour: TriageColour)], [String])])
    func pausedEnrolmentsGetNothingAndResumeFromTheResumeDate(pauses: [Enrolment.Pause], answers: [Int: (afterDays: Int, colour: TriageColour)], expected: [String]) {
        var simulation = Simulation(enrolment: F.enrolment(pauses: pauses), answers: answers)
        simulation.run(from: "2026-01-01", through: "2026-04-30")
        #expect(Array(simulation.log.prefix(expected.count)) == expected)
        #expect(simulation.repeated.isEmpty)
    }

    @Test(arguments: [
        (Enrolment.Status.paused(since: F.at("2026-01-06", 0)), [Enrolment.Pause(from: F.at("2026-01-06", 0))], nil as Date?),
        (.ended(at: F.at("2026-01-06", 0)), [], F.at("2026-01-06", 0)),
    ])
    func pausedAndEndedEnrolmentsGetNothingEvenWhenSomethingIsOverdue(status: Enrolment.Status, pauses: [Enrolment.Pause], endedAt: Date?) {
        let enrolment = F.enrolment(pauses: pauses, endedAt: endedAt)
        let rounds = [F.open(1, due: "2026-01-05")]
        let now = F.at("2026-03-01", 9)
        #expect(enrolment.status(at: now) == status)
        #expect(F.scheduler().actions(for: enrolment, rounds: rounds, now: now) == [])
        #expect(F.scheduler().actions(for: F.enrolment(), rounds: rounds, now: now).map(F.describe) == ["expire 1 yellow 1", "invite 2 due 2026-02-04"])
    }

    @Test func nothingIsSentBeforeTheStartDateOrTheSendHour() {
        let scheduler = F.scheduler()
        #expect(scheduler.actions(for: F.enrolment(), rounds: [], now: F.at("2026-01-04", 23)) == [])
        #expect(scheduler.actions(for: F.enrolment(), rounds: [], now: F.at("2026-01-05", 7, 59)) == [])
        #expect(scheduler.actions(for: F.enrolment(), rounds: [], now: F.at("2026-01-05", 8)).map(F.describe) == ["invite 1 due 2026-01-05"])
    }

    // MARK: Idempotence

    /// From assorted states, the actions once applied leave nothing more to do at the same instant.
    @Test(arguments: [
        ("no rounds yet", [], "2026-01-05"),
        ("reminder due", [F.open(1, due: "2026-01-05")], "2026-01-08"),
        ("expiry and next round due", [F.open(1, due: "2026-01-05", reminders: 2)], "2026-02-10"),
        ("long downtime", [F.answered(1, due: "2026-01-05", colour: .green)], "2026-12-01"),
        ("after a skipped round", [F.answered(1, due: "2026-01-05", colour: .green), F.skipped(2, due: "2026-02-04")], "2026-03-07"),
    ] as [(String, [FollowUpRound], String)])
    func applyingTheActionsLeavesNothingToDo(state: String, rounds: [FollowUpRound], day: String) {
        let scheduler = F.scheduler()
        let now = F.at(day, 9)
        let actions = scheduler.actions(for: F.enrolment(), rounds: rounds, now: now)
        #expect(!actions.isEmpty, "\(state)")
        let applied = FollowUpAction.applying(actions, to: rounds, at: now)
        #expect(scheduler.actions(for: F.enrolment(), rounds: applied, now: now) == [], "\(state)")
        #expect(scheduler.actions(for: F.enrolment(), rounds: applied, now: now.addingTimeInterval(3600)) == [], "\(state)")
    }

    // MARK: Interval rules

    /// g/y/r answered, n expired, s skipped, o open; base 30, ×1.5 after every 2 greens, max 60.
    @Test(arguments: [
        ("", 30), ("g", 30), ("gg", 45), ("ggg", 45), ("gggg", 60), ("ggy", 30), ("ggr", 30), ("ggn", 30),
        ("ggsgg", 60), ("ggo", 45), ("gggy", 30), ("yggg", 45), ("nggggg", 60), ("ggyg", 30), ("ggygg", 45),
    ])
    func adaptiveIntervalGrowsAfterGreensAndResetsOnAnySignal(history: String, expected: Int) {
        #expect(F.scheduler().intervalDays(after: F.rounds(history)) == expected)
    }

    @Test(arguments: [
        (30, "1.25", 100, "ggg", 57), // 30 → 37 (37.5 down) → 46 (46.25) → 57 (57.5)
        (30, "1.25", 100, "gggggg", 100), // … → 71 → 88 → 110, capped at 100
        (30, "1", 100, "gggg", 30),
        (90, "1.5", 90, "gggg", 90),
    ])
    func lengthenedIntervalsRoundDownAndStopAtTheMaximum(base: Int, factor: String, maximum: Int, history: String, expected: Int) {
        let plan = F.plan(baseIntervalDays: base, expiryDays: 10,
                          adaptive: FollowUpPlan.AdaptiveRule(consecutiveGreens: 1, factor: Decimal(string: factor)!, maxIntervalDays: maximum))
        #expect(F.scheduler(plan).intervalDays(after: F.rounds(history)) == expected)
    }

    @Test func withoutAnAdaptiveRuleTheIntervalStaysAtBase() {
        #expect(F.scheduler(F.plan(adaptive: nil)).intervalDays(after: F.rounds("gggggg")) == 30)
    }

    @Test(arguments: [
        ([TriageColour.yellow], "nnn", 4, TriageColour.yellow),
        ([.yellow, .red], "gn", 2, .red),
        ([.yellow, .red], "ngn", 2, .red),
        ([.yellow, .red], "nsn", 3, .red), // skipped rounds do not break the run
        ([.yellow, .red], "ng", 1, .yellow),
        ([.red], "", 1, .red),
    ] as [([TriageColour], String, Int, TriageColour)])
    func nonResponseEscalatesOverConsecutiveSilences(colours: [TriageColour], history: String, level: Int, colour: TriageColour) {
        let scheduler = F.scheduler(F.plan(nonResponseColours: colours))
        let rounds = F.rounds(history) + [F.open(history.count + 1, due: F.day("2026-01-05").adding(days: 30 * history.count).description)]
        let due = rounds.last!.dueDate
        let actions = scheduler.actions(for: F.enrolment(), rounds: rounds, now: due.adding(days: 10).instant(hour: 8, in: F.copenhagen))
        #expect(actions.first?.kind == .expire(colour: colour, level: level))
    }

    // MARK: Next date for the patient

    @Test(arguments: [
        ("g", "2026-02-04"), ("gg", "2026-03-21"), ("ggo", nil), ("y", "2026-02-04"), ("", "2026-01-05"),
    ] as [(String, String?)])
    func nextQuestionnaireDateFollowsTheIntervalFromTheDueDate(history: String, expected: String?) {
        #expect(F.scheduler().nextDueDate(for: F.enrolment(), rounds: F.rounds(history)) == expected.map(F.day))
    }

    @Test func nextDateIsUnknownWhilePausedIndefinitelyOrAfterTheEnd() {
        let rounds = F.rounds("g")
        let paused = F.enrolment(pauses: [Enrolment.Pause(from: F.at("2026-01-20", 10))])
        let ended = F.enrolment(endedAt: F.at("2026-01-20", 10))
        #expect(F.scheduler().nextDueDate(for: paused, rounds: rounds) == nil)
        #expect(F.scheduler().nextDueDate(for: ended, rounds: rounds) == nil)
    }

    @Test func greenNextStepShowsTheNextDateInThePatientsLanguage() {
        let plan = F.plan()
        let next = F.scheduler(plan).nextDueDate(for: F.enrolment(), rounds: F.rounds("gg"))
        #expect(plan.nextStepText(for: .green, language: "da", nextDate: next) == "Næste skema den 21. marts 2026.")
        #expect(plan.nextStepText(for: .green, language: "en", nextDate: next) == "Next questionnaire on 21 March 2026.")
    }
}

@Suite struct ShippedPlanSchedulingTests {
    typealias F = Fixtures

    static func shippedPlan(_ name: String) throws -> FollowUpPlan {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: PlanLoaderTests.repository + "/Questionnaires/plans/\(name).json"))
        return try PlanLoader.load(bytes: Array(bytes), source: name, knownQuestionnaire: { _, _ in true })
    }

    /// A patient who is always green on the epilepsy plan (×1.5 after every two greens, at
    /// most 180): intervals 90, 135, 135, then 180 for good.
    @Test func anAlwaysGreenEpilepsyPatientReachesTheMaximumInterval() throws {
        var simulation = Simulation(scheduler: F.scheduler(try Self.shippedPlan("epilepsy-standard")),
                                    answers: Dictionary(uniqueKeysWithValues: (1...8).map { ($0, (afterDays: 3, colour: TriageColour.green)) }))
        simulation.run(from: "2026-01-01", through: "2027-12-31")
        #expect(simulation.log.filter { $0.contains("invite") } == [
            "2026-01-05 invite 1 due 2026-01-05", "2026-04-05 invite 2 due 2026-04-05", "2026-08-18 invite 3 due 2026-08-18",
            "2026-12-31 invite 4 due 2026-12-31", "2027-06-29 invite 5 due 2027-06-29", "2027-12-26 invite 6 due 2027-12-26",
        ])
        #expect(!simulation.log.contains { $0.contains("remind") || $0.contains("expire") })
    }

    /// The COPD plan sends both its questionnaires in one invitation, with reminders after 5
    /// and 10 days and expiry after 14.
    @Test func theCOPDPlanSendsTwoQuestionnairesPerRound() throws {
        let scheduler = F.scheduler(try Self.shippedPlan("copd-followup"))
        var simulation = Simulation(scheduler: scheduler, answers: [:])
        simulation.run(from: "2026-01-01", through: "2026-01-31")
        #expect(simulation.log == ["2026-01-05 invite 1 due 2026-01-05", "2026-01-10 remind 1.1", "2026-01-15 remind 1.2", "2026-01-19 expire 1 yellow 1"])
        let first = scheduler.actions(for: F.enrolment(), rounds: [], now: F.at("2026-01-05", 9))
        guard case .invite(_, _, let questionnaires) = try #require(first.first).kind else {
            Issue.record("expected an invitation")
            return
        }
        #expect(questionnaires.map(\.url) == ["http://byneed.dk/fhir/Questionnaire/copd-followup", "http://byneed.dk/fhir/Questionnaire/kram"])
    }
}
