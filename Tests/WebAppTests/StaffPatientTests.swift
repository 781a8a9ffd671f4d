import FollowUp
import Foundation
import HTTPCore
import Storage
import Testing
@testable import WebApp

@Suite struct StaffPatientTests {
    @Test func theOverviewShowsTheFullCPRAChartWithATextAlternativeAndWhatChanged() async throws {
        let app = try await StaffApp()
        let (patient, enrolment) = try await app.enrol("Gunnar Gul", cpr: "0101703333")
        try await app.answerRound(patient, enrolment, mmrc: 1)
        app.clock.advance(by: 60 * 86_400)
        try await app.answerRound(patient, enrolment, mmrc: 3, admitted: true)
        let page = try await app.signIn().get("/staff/patients/\(patient.id.rawValue)")
        #expect(page.status == .ok)
        let html = page.text
        #expect(html.contains("010170-3333"))
        #expect(html.contains("<svg class=\"chart__svg\""))
        #expect(html.contains("<title id=\"chart-1-title\">mMRC-grad (0–4) (KOL-opfølgning)</title>")
            || html.contains("<title id=\"chart-1-title\">mMRC-grad (0–4)"))
        #expect(html.contains("<desc id=\"chart-1-desc\">mMRC-grad (0–4): 2 målinger over tid."))
        #expect(html.components(separatedBy: "class=\"chart__marker\"").count - 1 == 2)
        #expect(html.contains("class=\"chart__band chart__band--0\""))
        #expect(html.contains("<th scope=\"col\">Værdi</th>"))
        #expect(html.contains("(ændret fra: Nej)"))
        #expect(html.contains("Svar modtaget"))
        #expect(html.contains("Tilmeldt"))
    }

    @Test func openingAndChangingAPatientIsInTheAuditLog() async throws {
        let app = try await StaffApp()
        let (patient, enrolment) = try await app.enrol("Anna Audit", cpr: "0101700002")
        let ids = try await app.answerRound(patient, enrolment, admitted: true)
        let browser = try await app.signIn()
        #expect(await browser.get("/staff/patients/\(patient.id.rawValue)").status == .ok)
        _ = await browser.post("/staff/patients/\(patient.id.rawValue)/decide", [("subject", "response-\(ids[0].rawValue)"), ("kind", "referred")])
        let entries = try app.context.database.read { db in try AuditLog.forPatient(db, patient.id) }
        let summary = Set(entries.map { "\($0.action.rawValue) \($0.what) \($0.actorID ?? "")" })
        #expect(summary == ["read patient-overview \(app.nurse.id.rawValue)", "change decision \(app.nurse.id.rawValue)"])
        #expect(entries.allSatisfy { $0.organisationSOR == DemoData.departmentSOR && $0.actorKind == .staff })
        #expect(try app.context.database.read { db in try AuditLog.verify(db) } == .intact(rows: 2))
    }

    @Test func pauseResumeAndEndAreRecordedWithTheirHistory() async throws {
        let app = try await StaffApp()
        let (patient, enrolment) = try await app.enrol("Pia Pause", cpr: "0101708888")
        let browser = try await app.signIn()
        let action = "/staff/patients/\(patient.id.rawValue)/enrolments/\(enrolment.id.rawValue)"
        #expect(await browser.post(action, [("change", "pause")]).status == .seeOther)
        #expect(await browser.get("/staff/patients/\(patient.id.rawValue)").text.contains("På pause siden"))
        #expect(await browser.post(action, [("change", "pause")]).status.code == 409)
        app.clock.advance(by: 600)
        let overview = "/staff/patients/\(patient.id.rawValue)"
        #expect(await browser.post(action, [("change", "resume")]).location == overview)
        #expect(await browser.post(action, [("change", "plan"), ("plan", "epilepsy-standard|1.0.0")]).location == overview)
        #expect(await browser.post(action, [("change", "end")]).location == overview)
        let events = try app.context.database.read { db in try Enrolments.events(db, enrolment.id) }
        #expect(events.map(\.kind) == ["enrolled", "paused", "resumed", "plan-changed", "ended"])
        #expect(events.dropFirst().allSatisfy { $0.actor == "karen" })
    }

    @Test func lettersArePrintableAndMarkedAsPosted() async throws {
        let app = try await StaffApp()
        let (patient, _) = try await app.enrol("Lis Brev", cpr: "0101709999")
        let now = app.clock.now
        let id = try await app.context.database.write { db in
            try Outbox.enqueue(db, purpose: .invitation, channel: .letter, patientID: patient.id, roundID: nil, recipient: nil,
                               message: OutboxMessage(subject: "Spørgeskema fra afdelingen", text: "Kære Lis\n\nSvar på skemaet.", html: ""),
                               now: now)
        }
        let browser = try await app.signIn()
        let list = await browser.get("/staff/letters").text
        #expect(list.contains("Lis Brev") && list.contains("href=\"/staff/letters/\(id.rawValue)\""))
        let letter = await browser.get("/staff/letters/\(id.rawValue)").text
        #expect(letter.contains("<address class=\"letter__address\">Lis Brev</address>"))
        #expect(letter.contains("<p>Svar på skemaet.</p>"))
        #expect(await browser.post("/staff/letters/\(id.rawValue)/posted", []).status == .seeOther)
        #expect(try app.context.database.read { db in try Outbox.find(db, id: id) }?.state == .delivered)
        #expect(await browser.get("/staff/letters").text.contains("Ingen breve venter."))
    }

    @Test func failedDeliveriesAreListedWithTheirLastError() async throws {
        let app = try await StaffApp()
        let (patient, _) = try await app.enrol("Erik Fejl", cpr: "0101700001")
        let now = app.clock.now
        try await app.context.database.write { db in
            let id = try Outbox.enqueue(db, purpose: .reminder, channel: .email, patientID: patient.id, roundID: nil,
                                        recipient: "erik@example.org", message: OutboxMessage(subject: "s", text: "t", html: "h"), now: now)
            try Outbox.record(db, id, outcome: .permanent(detail: "550 mailbox unavailable"), now: now)
        }
        let page = try await app.signIn().get("/staff/deliveries").text
        #expect(page.contains("Erik Fejl") && page.contains("550 mailbox unavailable") && page.contains("Opgivet"))
    }
}
