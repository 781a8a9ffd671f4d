import FollowUp
import Foundation
import HTTPCore
import JSON
import SQLite
import Storage
import Testing
import WebApp

/// Paper questionnaires typed in by staff, and the plans page.
@Suite struct StaffPaperAndPlansTests {
    @Test func thePlansPageShowsEveryPlansRules() async throws {
        let app = try await StaffApp()
        let page = try await app.signIn().get("/staff/plans")
        #expect(page.status == .ok)
        for text in ["Epilepsi – behovsstyret opfølgning (standard)", "epilepsy-standard|1.0.0", "90 dage", "7, 14 dage",
                     "×1.5 efter 2 grønne i træk, højst 180 dage", "Rød: 1 hverdage", "aria-current=\"page\""] {
            #expect(page.text.contains(text), "\(text)")
        }
    }

    @Test func aPaperQuestionnaireIsStoredAsEnteredByStaffWithThePapersDate() async throws {
        let app = try await StaffApp()
        let (patient, _) = try await app.enrol("Papir Patient", cpr: "0101705555")
        let browser = try await app.signIn()
        let who5 = try #require(app.context.catalogue.latest(url: TestApp.who5))
        let overview = await browser.get("/staff/patients/\(patient.id.rawValue)")
        #expect(overview.text.contains("Indtast papirskema"))

        let started = await browser.post("/staff/patients/\(patient.id.rawValue)/paper",
                                         [("questionnaire", who5.reference), ("date", "2026-11-10")])
        #expect(started.status == .seeOther)
        let link = try #require(started.location)
        let token = String(try #require(link.split(separator: "?").first).dropFirst(3))
        _ = await app.request(.post, "/q/\(token)", fields: who5Fields(who5, option: 1) + [("page", "1"), ("action", "next")])
        let review = await app.request(.get, "/q/\(token)?p=review")
        #expect(!review.text.contains("Hvem har udfyldt skemaet?"), "staff are not asked who answered")
        let submitted = await app.request(.post, "/q/\(token)/submit", fields: [])
        #expect(submitted.status == .seeOther)

        let stored = try #require(try app.context.database.read { db in
            try db.queryOne("SELECT source, entered_by, authored, resource_json FROM questionnaire_responses")
        })
        #expect(try stored.string("source") == "paper")
        #expect(try stored.optionalInt("entered_by") == app.nurse.id.rawValue)
        #expect(try stored.string("authored") == "2026-11-10T11:00:00Z", "noon in Copenhagen on the paper's day")
        let resource = try JSON.parse(Array(try stored.string("resource_json").utf8))
        #expect(resource["author"]?["display"]?.stringValue == app.nurse.displayName)
        let audited = try app.context.database.read { db in
            try db.queryOne("SELECT count(*) AS n FROM audit_events WHERE what = 'paper-entry'")?.int("n")
        }
        #expect(audited == 1)
    }

    @Test(arguments: ["2099-01-01", "i går", ""])
    func aPaperDateInTheFutureOrUnreadableIsRefused(date: String) async throws {
        let app = try await StaffApp()
        let (patient, _) = try await app.enrol("Papir Patient", cpr: "0101705555")
        let who5 = try #require(app.context.catalogue.latest(url: TestApp.who5))
        let response = try await app.signIn().post("/staff/patients/\(patient.id.rawValue)/paper",
                                                   [("questionnaire", who5.reference), ("date", date)])
        #expect(response.status == .unprocessableContent)
        #expect(response.text.contains("Skriv datoen på papiret"))
        #expect(try app.context.database.read { try $0.queryOne("SELECT count(*) AS n FROM invitations")?.int("n") } == 0)
    }
}
