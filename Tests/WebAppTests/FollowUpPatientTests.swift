import FollowUp
import Foundation
import HTTPCore
import JSON
import Questionnaire
import SQLite
import Storage
import Testing

/// The patient's side of follow-up: who answered, asking for contact, and the plan's next step.
@Suite struct FollowUpPatientTests {
    @Test func aRelativeMustSayTheirRelationAndIsRecordedAsTheSource() async throws {
        let app = try TestApp()
        let token = try await app.invite(TestApp.who5)
        let definition = try app.definition(TestApp.who5)
        _ = await app.post("/q/\(token)", who5Fields(definition, option: 3) + [("page", "1"), ("action", "next")])

        let refused = await app.post("/q/\(token)/submit", [("lang", "da"), ("respondent", "proxy"), ("relation", "  ")])
        #expect(refused.status == .unprocessableContent)
        #expect(refused.text.contains("Skriv din relation til patienten"))
        #expect(refused.text.contains("id=\"respondent-proxy\" name=\"respondent\" value=\"proxy\" checked"))
        #expect(try app.responseCount() == 0)

        let stored = await app.post("/q/\(token)/submit", [("lang", "da"), ("respondent", "proxy"), ("relation", "datter")])
        #expect(stored.status == .seeOther)
        let resource = try JSON.parse(try #require(try app.storedResources().first))
        #expect(resource["source"]?["reference"] == "#respondent")
        #expect(resource["contained"]?[0]?["resourceType"] == "RelatedPerson")
        #expect(resource["contained"]?[0]?["relationship"]?[0]?["text"] == "datter")
        let source = try app.context.database.read { db in
            try db.queryOne("SELECT source, proxy_relation FROM questionnaire_responses")
        }
        #expect(try source?.string("source") == "proxy")
        #expect(try source?.optionalString("proxy_relation") == "datter")
    }

    @Test func thePatientIsTheSourceWhenTheyAnsweredThemselves() async throws {
        let app = try TestApp()
        let token = try await app.invite(TestApp.who5)
        _ = await app.post("/q/\(token)", who5Fields(try app.definition(TestApp.who5), option: 3) + [("page", "1"), ("action", "next")])
        #expect(await app.post("/q/\(token)/submit", [("respondent", "patient")]).status == .seeOther)
        let resource = try JSON.parse(try #require(try app.storedResources().first))
        #expect(resource["source"]?["identifier"]?["value"] == "2512489996")
        #expect(resource["contained"] == nil)
    }

    @Test func aPatientCanAskForContactBeforeAndAfterAnswering() async throws {
        let app = try TestApp()
        let token = try await app.invite(TestApp.who5)
        let form = await app.get("/q/\(token)/contact?lang=en")
        #expect(form.status == .ok)
        #expect(form.text.contains("<label class=\"question__label\" for=\"contact-message\">"))
        let sent = await app.post("/q/\(token)/contact", [("lang", "da"), ("message", "Jeg har det dårligt")])
        #expect(sent.status == .ok)
        #expect(sent.text.contains("Vi har modtaget din besked"))

        _ = await app.post("/q/\(token)", who5Fields(try app.definition(TestApp.who5), option: 3) + [("page", "1"), ("action", "next")])
        _ = await app.post("/q/\(token)/submit", [])
        let receipt = await app.get("/q/\(token)/receipt")
        #expect(receipt.text.contains("/q/\(token)/contact?lang=da"))
        #expect(await app.post("/q/\(token)/contact", []).status == .ok)
        let requests = try app.context.database.read { db in
            try db.query("SELECT message FROM contact_requests ORDER BY id").map { try $0.optionalString("message") }
        }
        #expect(requests == ["Jeg har det dårligt", nil])
    }

    @Test func anUnknownLinkCannotAskForContact() async throws {
        let app = try TestApp()
        let response = await app.post("/q/\(String(repeating: "A", count: 43))/contact", [("message", "x")])
        #expect(response.status == .notFound)
        #expect(try app.context.database.read { try $0.queryOne("SELECT count(*) AS n FROM contact_requests")?.int("n") } == 0)
    }

    /// The epilepsy plan's green text names the next questionnaire's date: round 1's due date
    /// plus the 90-day base interval (Questionnaires/plans/epilepsy-standard.json).
    @Test func theReceiptOfAPlannedRoundGivesThePlansNextStepWithTheNextDate() async throws {
        let app = try TestApp()
        let timeZone = app.context.timeZone
        let now = app.clock.now
        let start = CalendarDay(now, in: timeZone)
        let plan = try #require(app.context.latestPlan(id: "epilepsy-standard"))
        let definition = try app.definition(TestApp.who5)
        let token = try await app.context.database.write { db in
            let patient = try DemoData.ensure(db)
            let enrolment = try Enrolments.enrol(db, patientID: patient.id, departmentID: patient.departmentID, planID: plan.id,
                                                 planVersion: plan.version, startDate: start, actor: "test", now: now)
            let round = try Rounds.send(db, enrolment.id, number: 1, dueDate: start, expiresAt: now.addingTimeInterval(86_400 * 21), now: now)
            return try Invitations.create(db, patientID: patient.id, questionnaireURL: definition.url, questionnaireVersion: definition.version,
                                          now: now, expiresAt: now.addingTimeInterval(86_400 * 21), roundID: round).token
        }
        // "All of the time" (weight 5) for every item: raw score 25, green.
        _ = await app.post("/q/\(token)", who5Fields(definition, option: 0) + [("page", "1"), ("action", "next")])
        _ = await app.post("/q/\(token)/submit", [])
        let receipt = await app.get("/q/\(token)/receipt?lang=da")
        let next = start.adding(days: 90).formatted(language: "da")
        #expect(receipt.text.contains("Du får det næste spørgeskema den \(next)."), "\(receipt.text)")
    }
}
