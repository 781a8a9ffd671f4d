import FollowUp
import Foundation
import Jobs
import JSON
import Questionnaire
import Storage
import Testing

/// A department's follow-up programme over simulated months: the runner on a real SQLite file,
/// the shipped epilepsy plan and questionnaire, the clock moved by the test.
@Suite struct FollowUpJourneyTests {
    let journey: Journey

    init() async throws {
        journey = try await Journey()
    }

    @Test func invitationsFollowThePlanThroughAnswersNonResponseAndTheAdaptiveInterval() async throws {
        let scheduler = try journey.scheduler()
        let start = CalendarDay(year: 2027, month: 1, day: 4)!
        // 07:59 on the start day: nothing yet (the plan sends at 08:00 local).
        #expect(try await journey.run(at: scheduler.sendInstant(start).addingTimeInterval(-60)).invitations == 0)
        #expect(try await journey.run(at: scheduler.sendInstant(start)).invitations == 1)
        try await journey.answer(.green, at: scheduler.sendInstant(start.adding(days: 2)))

        // Round 2 is due 90 days after round 1's due date, and is answered green too.
        let second = start.adding(days: 90)
        #expect(try await journey.run(at: scheduler.sendInstant(second.adding(days: -1))).invitations == 0)
        #expect(try await journey.run(at: scheduler.sendInstant(second)).invitations == 1)
        try await journey.answer(.green, at: scheduler.sendInstant(second.adding(days: 1)))

        // Two greens in a row: the interval grows by 1.5 to 135 days. The patient does not answer:
        // reminders on days 7 and 14, non-response (yellow) on day 21.
        let third = second.adding(days: 135)
        #expect(try await journey.run(at: scheduler.sendInstant(third.adding(days: -1))).invitations == 0)
        #expect(try await journey.run(at: scheduler.sendInstant(third)).invitations == 1)
        #expect(try await journey.run(at: scheduler.sendInstant(third.adding(days: 7))).reminders == 1)
        #expect(try await journey.run(at: scheduler.sendInstant(third.adding(days: 14))).reminders == 1)
        #expect(try await journey.run(at: scheduler.sendInstant(third.adding(days: 21))).expiries == 1)
        #expect(try journey.status(at: scheduler.sendInstant(third.adding(days: 22))).category == .noAnswer)

        // A non-response resets the interval to 90 days; round 4 is answered red.
        let fourth = third.adding(days: 90)
        #expect(try await journey.run(at: scheduler.sendInstant(fourth)).invitations == 1)
        let answeredAt = scheduler.sendInstant(fourth).addingTimeInterval(3_600)
        try await journey.answer(.red, at: answeredAt)
        let status = try journey.status(at: answeredAt.addingTimeInterval(60))
        #expect(status.category == .red)
        #expect(status.deadline == journey.plan.responseDeadline(for: .red, raisedAt: answeredAt, in: journey.timeZone))

        let rounds = try journey.rounds()
        #expect(rounds.map(\.round.dueDate) == [start, second, third, fourth])
        #expect(rounds.map(\.round.number) == [1, 2, 3, 4])
        let outbox = try journey.outbox()
        #expect(outbox.map(\.purpose) == [.invitation, .invitation, .invitation, .reminder, .reminder, .invitation])
        #expect(outbox.allSatisfy { $0.channel == .email && $0.recipient == "nancy@example.dk" })
    }

    @Test func aReminderCarriesANewLinkToTheSameDraft() async throws {
        let scheduler = try journey.scheduler()
        let start = CalendarDay(year: 2027, month: 1, day: 4)!
        _ = try await journey.run(at: scheduler.sendInstant(start))
        _ = try await journey.run(at: scheduler.sendInstant(start.adding(days: 7)))
        let tokens = try journey.outbox().compactMap { $0.message.flatMap(Journey.token(in:)) }
        #expect(tokens.count == 2 && tokens[0] != tokens[1])
        let invitations = try tokens.map { token in try journey.database.read { try Invitations.find($0, token: token) } }
        #expect(invitations[0]?.id != nil && invitations[0]?.id == invitations[1]?.id)
    }

    @Test func runningTwiceOrAfterARestartSendsNothingTwice() async throws {
        let scheduler = try journey.scheduler()
        let instant = scheduler.sendInstant(CalendarDay(year: 2027, month: 1, day: 4)!)
        #expect(try await journey.run(at: instant).invitations == 1)
        #expect(try await journey.run(at: instant).invitations == 0)
        let reopened = try journey.reopened()
        #expect(try await reopened.run(at: instant.addingTimeInterval(600)).invitations == 0)
        #expect(try reopened.outbox().count == 1)
        #expect(try reopened.rounds().count == 1)
    }

    @Test func afterDowntimeOnlyTheLatestDueRoundIsSentAndTheMissedOnesAreRecorded() async throws {
        let scheduler = try journey.scheduler()
        let start = CalendarDay(year: 2027, month: 1, day: 4)!
        _ = try await journey.run(at: scheduler.sendInstant(start))
        try await journey.answer(.yellow, at: scheduler.sendInstant(start.adding(days: 1)))
        // Down for 200 days: rounds due on day 90 and day 180 passed without a run.
        let report = try await journey.run(at: scheduler.sendInstant(start.adding(days: 200)))
        #expect(report.invitations == 1 && report.skips == 1)
        let rounds = try journey.rounds()
        #expect(rounds.map(\.round.dueDate) == [start, start.adding(days: 90), start.adding(days: 180)])
        #expect(rounds[1].round.sentAt == nil && rounds[2].round.isOpen)
        #expect(try journey.outbox().count == 2)
    }

    @Test func aPausedEnrolmentGetsNothingUntilItIsResumed() async throws {
        let scheduler = try journey.scheduler()
        let start = CalendarDay(year: 2027, month: 1, day: 4)!
        try await journey.change(.pause, at: scheduler.sendInstant(start).addingTimeInterval(-3_600))
        #expect(try await journey.run(at: scheduler.sendInstant(start.adding(days: 3))).invitations == 0)
        let resumed = scheduler.sendInstant(start.adding(days: 10)).addingTimeInterval(-7_200)
        try await journey.change(.resume, at: resumed)
        #expect(try await journey.run(at: scheduler.sendInstant(start.adding(days: 10))).invitations == 1)
        #expect(try journey.rounds().first?.round.dueDate == start.adding(days: 10))
    }

    @Test func aPatientWithoutEMailGetsALetter() async throws {
        let journey = try await Journey(delivery: .letter)
        let scheduler = try journey.scheduler()
        _ = try await journey.run(at: scheduler.sendInstant(CalendarDay(year: 2027, month: 1, day: 4)!))
        let letters = try journey.database.read { try Outbox.lettersToPrint($0) }
        #expect(letters.count == 1)
        #expect(letters.first?.message?.text.contains("Linkene virker til og med 25. januar 2027.") == true)
    }
}

/// A pass cut short (the database closes under it, as when the process dies) and the next pass
/// after a restart: every enrolment ends up with exactly one invitation.
@Suite struct InterruptedPassTests {
    @Test func aPassInterruptedHalfwayIsCompletedByTheNextOneWithoutDuplicates() async throws {
        let journey = try await Journey()
        let plan = journey.plan
        let start = CalendarDay(year: 2027, month: 1, day: 4)!
        let enrolledAt = Date(timeIntervalSince1970: 1_798_000_000)
        try await journey.database.write { db in
            let department = try #require(try Departments.find(db, sorCode: "123456789012345"))
            for number in 1...40 {
                let patient = try Patients.insert(db, cpr: String(format: "01017%05d", number), name: "P\(number)", language: "da",
                                                  departmentID: department.id, contact: PatientContact(email: "p\(number)@example.dk"))
                _ = try Enrolments.enrol(db, patientID: patient.id, departmentID: department.id, planID: plan.id,
                                         planVersion: plan.version, startDate: start, actor: "test", now: enrolledAt)
            }
        }
        let instant = try journey.scheduler().sendInstant(start)
        let pass = Task { await journey.runner.run(journey.database, now: instant) }
        while try journey.outbox().count < 5 { try await Task.sleep(for: .milliseconds(1)) }
        let reopened = try journey.reopened()
        let interrupted = await pass.value
        #expect(!interrupted.failures.isEmpty, "the pass was cut short")
        #expect(interrupted.invitations < 41)

        let completed = try await reopened.run(at: instant.addingTimeInterval(300))
        #expect(interrupted.invitations + completed.invitations == 41)
        let perPatient = try reopened.database.read { db in
            try db.query("SELECT patient_id, count(*) AS n FROM outbox GROUP BY patient_id").map { try $0.int("n") }
        }
        #expect(perPatient.count == 41 && perPatient.allSatisfy { $0 == 1 })
    }
}

/// A clinician's "interval changed" decision moves the next questionnaire, once.
@Suite struct ClinicianSetDateTests {
    @Test func theNextRoundComesOnTheClinicianDateAndTheOneAfterFollowsThePlanAgain() async throws {
        let journey = try await Journey()
        let scheduler = try journey.scheduler()
        let start = CalendarDay(year: 2027, month: 1, day: 4)!
        _ = try await journey.run(at: scheduler.sendInstant(start))
        let answeredAt = scheduler.sendInstant(start.adding(days: 1))
        try await journey.answer(.yellow, at: answeredAt)
        let chosen = start.adding(days: 30)
        let decision = try await journey.database.write { db in
            let department = try #require(try Departments.find(db, sorCode: "123456789012345"))
            let nurse = try StaffAccounts.create(db, username: "nurse", displayName: "Sygeplejerske", departmentID: department.id,
                                                 role: "health-professional", passwordHash: "x", now: answeredAt)
            let response = try #require(try db.queryOne("SELECT id, patient_id FROM questionnaire_responses"))
            return try Decisions.record(db, patientID: PatientID(rawValue: try response.int("patient_id")),
                                        subject: .response(ResponseID(rawValue: try response.int("id"))), kind: .intervalChanged,
                                        visitDate: nil, nextDueDate: chosen, note: nil, decidedBy: nurse.id, corrects: nil,
                                        now: answeredAt.addingTimeInterval(3_600))
        }
        #expect(try await journey.run(at: scheduler.sendInstant(chosen.adding(days: -1))).invitations == 0)
        #expect(try await journey.run(at: scheduler.sendInstant(chosen)).invitations == 1)
        try await journey.answer(.yellow, at: scheduler.sendInstant(chosen))
        #expect(try await journey.run(at: scheduler.sendInstant(chosen.adding(days: 89))).invitations == 0)
        #expect(try await journey.run(at: scheduler.sendInstant(chosen.adding(days: 90))).invitations == 1)
        #expect(try journey.rounds().map(\.round.dueDate) == [start, chosen, chosen.adding(days: 90)])
        #expect(decision.kind == .intervalChanged)
    }

    @Test func aCorrectedDecisionNoLongerMovesTheDate() async throws {
        let journey = try await Journey()
        let scheduler = try journey.scheduler()
        let start = CalendarDay(year: 2027, month: 1, day: 4)!
        _ = try await journey.run(at: scheduler.sendInstant(start))
        let answeredAt = scheduler.sendInstant(start.adding(days: 1))
        try await journey.answer(.yellow, at: answeredAt)
        try await journey.database.write { db in
            let department = try #require(try Departments.find(db, sorCode: "123456789012345"))
            let nurse = try StaffAccounts.create(db, username: "nurse", displayName: "Sygeplejerske", departmentID: department.id,
                                                 role: "health-professional", passwordHash: "x", now: answeredAt)
            let response = try #require(try db.queryOne("SELECT id, patient_id FROM questionnaire_responses"))
            let patientID = PatientID(rawValue: try response.int("patient_id"))
            let subject = Decision.Subject.response(ResponseID(rawValue: try response.int("id")))
            let wrong = try Decisions.record(db, patientID: patientID, subject: subject, kind: .intervalChanged, visitDate: nil,
                                             nextDueDate: start.adding(days: 10), note: nil, decidedBy: nurse.id, corrects: nil,
                                             now: answeredAt)
            try Decisions.record(db, patientID: patientID, subject: subject, kind: .noAction, visitDate: nil, nextDueDate: nil,
                                 note: "forkert dato", decidedBy: nurse.id, corrects: wrong.id, now: answeredAt.addingTimeInterval(60))
        }
        #expect(try await journey.run(at: scheduler.sendInstant(start.adding(days: 10))).invitations == 0)
        #expect(try await journey.run(at: scheduler.sendInstant(start.adding(days: 90))).invitations == 1)
    }
}

/// The background pass enforces the audit log's retention and leaves the chain verifiable.
@Test func theBackgroundPassPrunesAuditRowsPastTheirRetention() async throws {
    let journey = try await Journey()
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    try await journey.database.write { db in
        for day in 0..<10 {
            try AuditLog.append(db, AuditEntry(at: start.addingTimeInterval(Double(day) * 86_400), actorKind: .system, actorID: nil,
                                               patientID: nil, action: .read, what: "test", outcome: "allowed"))
        }
    }
    let now = start.addingTimeInterval(30 * 86_400)
    let jobs = BackgroundJobs(database: journey.database, runner: journey.runner, delivery: nil, clock: { now },
                              auditRetention: 25 * 86_400) { _, _ in }
    await jobs.runOnce()
    #expect(try journey.database.read { try AuditLog.verify($0) } == .intact(rows: 5))
    #expect(jobs.status.lastFailure == nil)
}
