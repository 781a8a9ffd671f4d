import FollowUp
import Foundation
import HTTPCore
import Storage
import Testing
@testable import WebApp

@Suite struct StaffDecisionTests {
    /// A patient whose latest round was answered yellow; returns the flagged response's subject code.
    static func flagged() async throws -> (StaffApp, Patient, StoredEnrolment, String) {
        let app = try await StaffApp()
        let (patient, enrolment) = try await app.enrol("Gunnar Gul", cpr: "0101703333")
        let ids = try await app.answerRound(patient, enrolment, mmrc: 3, admitted: true)
        return (app, patient, enrolment, "response-\(ids[0].rawValue)")
    }

    @Test func theDecisionPageShowsTheAutomaticResultBesideTheDecisions() async throws {
        let (app, patient, _, subject) = try await Self.flagged()
        let browser = try await app.signIn()
        let page = await browser.get("/staff/patients/\(patient.id.rawValue)/decide?subject=\(subject)")
        #expect(page.status == .ok)
        #expect(page.text.contains("Automatisk vurdering") && page.text.contains("Klinisk beslutning"))
        #expect(page.text.contains("<span class=\"tag tag--yellow\">Gul</span>"))
        #expect(page.text.contains("Indlagt for lungesygdom"))
        #expect(page.text.contains("<legend class=\"question__label\">Hvad blev besluttet?</legend>"))
        #expect(page.text.contains("Ingen beslutning endnu"))
    }

    @Test func aCorrectionIsANewDecisionPointingAtTheEarlierOne() async throws {
        let (app, patient, _, subject) = try await Self.flagged()
        let browser = try await app.signIn()
        let target = "/staff/patients/\(patient.id.rawValue)/decide"
        let first = await browser.post(target, [("subject", subject), ("kind", "phone-call"), ("note", "Ingen svar, prøver igen")])
        #expect(first.status == .seeOther)
        let earlier = try #require(try app.decisions(patient).first)
        let page = await browser.get("\(target)?subject=\(subject)").text
        let correctURL = "\(target)?subject=\(subject)&amp;corrects=\(earlier.id.rawValue)"
        #expect(page.contains("href=\"\(correctURL)\">Ret"))
        let correctionForm = await browser.get("\(target)?subject=\(subject)&corrects=\(earlier.id.rawValue)").text
        #expect(correctionForm.contains("Retter beslutning #\(earlier.id.rawValue)"))
        app.clock.advance(by: 600)
        let second = await browser.post(target, [("subject", subject), ("kind", "visit-booked"), ("visit-date", "2026-12-01"),
                                                 ("corrects", String(earlier.id.rawValue))])
        #expect(second.status == .seeOther)
        let decisions = try app.decisions(patient)
        #expect(decisions.count == 2)
        #expect(decisions[1] == earlier)
        #expect(decisions[0].corrects == earlier.id)
        #expect(decisions[0].visitDate == CalendarDay(year: 2026, month: 12, day: 1))
        let after = await browser.get("\(target)?subject=\(subject)").text
        #expect(after.contains("decision--superseded"))
        #expect(after.contains("Besøg booket"))
    }

    @Test(arguments: [
        ([("kind", "")], "Vælg, hvad der blev besluttet"),
        ([("kind", "made-up")], "Vælg, hvad der blev besluttet"),
        ([("kind", "visit-booked")], "Skriv datoen for besøget"),
        ([("kind", "visit-booked"), ("visit-date", "1. december")], "Skriv datoen for besøget"),
        ([("kind", "interval-changed")], "Skriv datoen for næste spørgeskema"),
        ([("kind", "interval-changed"), ("next-due", "2020-01-01")], "Skriv datoen for næste spørgeskema"),
        ([("kind", "no-action"), ("note", String(repeating: "x", count: 2001))], "Notatet må højst være 2000 tegn"),
        ([("kind", "no-action"), ("corrects", "999")], "Den beslutning, der skulle rettes, findes ikke"),
    ])
    func invalidDecisionsStoreNothingAndSayWhy(fields: [(String, String)], message: String) async throws {
        let (app, patient, _, subject) = try await Self.flagged()
        let browser = try await app.signIn()
        let response = await browser.post("/staff/patients/\(patient.id.rawValue)/decide", [("subject", subject)] + fields)
        #expect(response.status == .unprocessableContent)
        #expect(response.text.contains(message))
        #expect(response.text.contains("class=\"error-summary\""))
        #expect(try app.decisions(patient).isEmpty)
    }

    @Test func followUpEndedAlsoEndsTheEnrolment() async throws {
        let (app, patient, enrolment, subject) = try await Self.flagged()
        let browser = try await app.signIn()
        let response = await browser.post("/staff/patients/\(patient.id.rawValue)/decide", [("subject", subject), ("kind", "follow-up-ended")])
        #expect(response.status == .seeOther)
        let stored = try #require(try app.context.database.read { db in try Enrolments.find(db, id: enrolment.id) })
        #expect(stored.schedule.endedAt != nil)
        #expect(worklistNames(await browser.get("/staff/worklist").text).isEmpty)
    }

    @Test func aFindingOfAnotherPatientCannotBeDecidedThroughThisOne() async throws {
        let (app, _, _, subject) = try await Self.flagged()
        let (other, _) = try await app.enrol("Anden Patient", cpr: "0101707777")
        let browser = try await app.signIn()
        let response = await browser.post("/staff/patients/\(other.id.rawValue)/decide", [("subject", subject), ("kind", "no-action")])
        #expect(response.status == .notFound)
        #expect(try app.decisions(other).isEmpty)
    }
}
