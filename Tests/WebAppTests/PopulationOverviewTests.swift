import FollowUp
import Foundation
import Questionnaire
import Sharing
import Storage
import Testing
@testable import WebApp

/// A small department with a known history, built through Storage (see `build`), and the
/// numbers the overview must give for it, computed by hand.
struct PopulationFixture {
    let staff: StaffApp
    let anna: Patient
    let bo: Patient
    let carl: Patient
    let dorte: Patient

    /// The history, with T0 = the test clock's start (18.11.2026) and T1 = T0 + 20 days:
    /// - Anna (start T0 − 400 d): round 1 green at T0; round 2 yellow at T1, phone call at T1 + 2 h.
    /// - Bo (start T0 − 200 d): round 1 expired at T0 (sent T0 − 14 d); round 2 expired at T1
    ///   (sent T1 − 14 d, still November); a contact request at T1, visit booked at T1 + 2 h.
    /// - Carl (start T0 − 10 d): round 1 yellow at T0, never decided (late by T1).
    /// - Dorte (start T0 − 100 d): enrolment ended at T0, no rounds.
    /// - A patient of another department answers at T0 and must count nowhere.
    /// Now = T1 + 2 h.
    static func build() async throws -> PopulationFixture {
        let staff = try await StaffApp()
        let today = CalendarDay(staff.clock.now, in: staff.context.timeZone)
        let (anna, annaEnrolment) = try await staff.enrol("Anna Andersen", cpr: "0101701111", start: today.adding(days: -400))
        let (bo, boEnrolment) = try await staff.enrol("Bo Berg", cpr: "0101702222", start: today.adding(days: -200))
        let (carl, carlEnrolment) = try await staff.enrol("Carl Clausen", cpr: "0101703333", start: today.adding(days: -10))
        let (dorte, dorteEnrolment) = try await staff.enrol("Dorte Dahl", cpr: "0101704444", start: today.adding(days: -100))
        let otherDepartment = try staff.context.database.read { db in try Departments.find(db, sorCode: "111111111111111") }!
        let (stranger, strangerEnrolment) = try await staff.enrol("Fremmed Patient", cpr: "0101705555", in: otherDepartment.id)
        try await staff.answerRound(anna, annaEnrolment)
        try await staff.expireRound(boEnrolment)
        try await staff.answerRound(carl, carlEnrolment, admitted: true)
        try await staff.answerRound(stranger, strangerEnrolment, admitted: true)
        let t0 = staff.clock.now
        try await staff.context.database.write { db in try Enrolments.change(db, dorteEnrolment.id, .end, actor: "test", now: t0) }
        staff.clock.advance(by: 20 * 86_400)
        let annaYellow = try await staff.answerRound(anna, annaEnrolment, mmrc: 2, admitted: true)
        try await staff.expireRound(boEnrolment)
        let t1 = staff.clock.now
        let request = try await staff.context.database.write { db in try ContactRequests.create(db, patientID: bo.id, message: nil, now: t1) }
        staff.clock.advance(by: 2 * 3600)
        let now = staff.clock.now
        let nurse = staff.nurse.id
        try await staff.context.database.write { db in
            for id in annaYellow {
                guard try TriageRecords.find(db, responseID: id)?.colour == .yellow else { continue }
                try Decisions.record(db, patientID: anna.id, subject: .response(id), kind: .phoneCall, visitDate: nil, nextDueDate: nil,
                                     note: nil, decidedBy: nurse, corrects: nil, now: now)
            }
            try Decisions.record(db, patientID: bo.id, subject: .contactRequest(request.id), kind: .visitBooked, visitDate: nil,
                                 nextDueDate: nil, note: nil, decidedBy: nurse, corrects: nil, now: now)
        }
        return PopulationFixture(staff: staff, anna: anna, bo: bo, carl: carl, dorte: dorte)
    }

    func facts() throws -> PopulationFacts {
        let id = staff.department.id
        return try staff.context.database.read { db in try PopulationQuery.facts(db, departmentID: id) }
    }

    func overview() throws -> PopulationOverview {
        PopulationOverview(facts: try facts(), plans: staff.context.plans, now: staff.clock.now, timeZone: staff.context.timeZone)
    }
}

@Suite struct PopulationOverviewTests {
    static let copd = StaffApp.copd

    /// A table as `label: counts` lines, for exact comparison.
    static func lines(_ table: PopulationTable) -> [String] {
        zip(table.rowLabels, table.counts).map { "\($0.0): \($0.1.map(String.init).joined(separator: " "))" }
    }

    @Test func everyTableMatchesTheHandComputedFixture() async throws {
        let fixture = try await PopulationFixture.build()
        let overview = try fixture.overview()
        #expect(Self.lines(overview.enrolled) == ["copd-followup: 3 0 1"])
        #expect(Self.lines(overview.roundsByNumber) == ["copd-followup · 1: 2 1 0", "copd-followup · 2: 1 1 0"])
        #expect(Self.lines(overview.roundsByMonth) == ["copd-followup · 2026-11: 2 2 0", "copd-followup · 2026-12: 1 0 0"])
        #expect(overview.colourMix.columnLabels == ["red", "yellow", "green", "no-answer"])
        #expect(Self.lines(overview.colourMix) == ["copd-followup · 2026-11: 0 1 1 1", "copd-followup · 2026-12: 0 1 0 1"])
        #expect(Self.lines(overview.nonResponders) == ["copd-followup: 2 1 0"])
        #expect(Self.lines(overview.timeToDecision) == ["contact-requests: 1 0 0", "copd-followup: 1 1 0"])
        #expect(overview.timeToDecision.rowPlans == ["", Self.copd])
        // Fixed: Anna ⌊420 / 180⌋ = 2, Bo ⌊220 / 180⌋ = 1, Carl ⌊30 / 180⌋ = 0, Dorte ⌊100 / 180⌋ = 0.
        #expect(Self.lines(overview.visits) == ["copd-followup: 3 2 1"])
        #expect(overview.scoreBands.columnLabels == ["less_breathless", "more_breathless"])
        #expect(Self.lines(overview.scoreBands) == ["copd-followup · grade: 1 1"])
        #expect(overview.decisionHours.map(\.hours) == [2, 2])
        #expect(PopulationOverview.median(overview.decisionHours.map(\.hours)) == 2)
    }

    static let medians: [([Double], Double?)] = [([], nil), ([3], 3), ([4, 1], 2.5), ([5, 1, 3], 3), ([1, 2, 3, 10], 2.5)]

    @Test(arguments: medians)
    func theMedianIsTheMiddleValueOrTheMeanOfTheTwoMiddleOnes(values: [Double], median: Double?) {
        #expect(PopulationOverview.median(values) == median)
    }

    @Test func otherDepartmentsDataCountsNowhere() async throws {
        let fixture = try await PopulationFixture.build()
        let facts = try fixture.facts()
        let ours = Set([fixture.anna.id, fixture.bo.id, fixture.carl.id, fixture.dorte.id])
        #expect(Set(facts.patients.keys) == ours)
        #expect(facts.enrolments.allSatisfy { ours.contains($0.enrolment.patientID) })
        #expect(facts.findings.allSatisfy { ours.contains($0.patientID) })
        #expect(facts.scores.allSatisfy { ours.contains($0.patientID) })
    }

    @Test func theDepartmentsHealthProfessionalsSeeExactNumbersWithChartsAndTables() async throws {
        let fixture = try await PopulationFixture.build()
        let browser = try await fixture.staff.signIn()
        let response = await browser.get("/staff/population")
        #expect(response.status == .ok)
        let html = String(decoding: response.body, as: UTF8.self)
        #expect(html.contains("<th scope=\"row\">copd-followup · 2026-11</th><td>0</td><td>1</td><td>1</td><td>1</td><td>3</td>"))
        #expect(html.contains("<th scope=\"row\">copd-followup</th><td>3</td><td>2</td><td>1</td><td>1</td>"))
        #expect(html.contains("<title id=\"population-colour-mix-title\">"))
        #expect(html.contains("<desc id=\"population-colour-mix-desc\">"))
        #expect(html.contains("href=\"/staff/lists?nonresponders=1\""))
        #expect(html.contains("67 %"))
        #expect(html.contains("<strong>Median tid til beslutning (timer):</strong> 2,0"))
        #expect(!html.contains("id=\"suppression-note\""))
    }

    @Test func eachTableDownloadsAsAuditedCSV() async throws {
        let fixture = try await PopulationFixture.build()
        let browser = try await fixture.staff.signIn()
        let response = await browser.get("/staff/population.csv?table=visits&plan=copd-followup")
        #expect(response.status == .ok)
        #expect(response.headers["Content-Type"] == "text/csv; charset=utf-8")
        #expect(response.headers["Content-Disposition"] == "attachment; filename=\"population-visits-copd-followup.csv\"")
        let lines = String(decoding: response.body, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines[1] == "copd-followup,3,2,1,1")
        let same = await browser.get("/staff/population?format=csv&table=visits&plan=copd-followup")
        #expect(same.body == response.body)
        #expect(await browser.get("/staff/population.csv?table=nonsense").status == .notFound)
        let audits = try fixture.staff.context.database.read { db in
            try db.query("SELECT what, detail, patient_id FROM audit_events WHERE what = 'population-csv'")
                .map { (try $0.string("detail"), try $0.optionalInt("patient_id")) }
        }
        #expect(audits.count == 2)
        #expect(audits.allSatisfy { $0.0 == "table=visits plan=copd-followup k=1" && $0.1 == nil })
    }
}
