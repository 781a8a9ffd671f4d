import FollowUp
import Foundation
import HTTPCore
import Storage
import Testing
@testable import WebApp

/// The rows of the worklist table in page order: each row's patient name.
func worklistNames(_ html: String) -> [String] {
    html.components(separatedBy: "<th scope=\"row\"><a href=\"/staff/patients/").dropFirst().compactMap { chunk in
        chunk.split(separator: ">", maxSplits: 1).last?.split(separator: "<", maxSplits: 1).first.map(String.init)
    }
}

@Suite struct StaffWorklistTests {
    /// Four patients, one per state: red (asked to be contacted), yellow (admitted), no answer,
    /// and green, enrolled in the opposite order.
    static func morning() async throws -> (StaffApp, [String: (Patient, StoredEnrolment)]) {
        let app = try await StaffApp()
        var patients: [String: (Patient, StoredEnrolment)] = [:]
        patients["green"] = try await app.enrol("Grete Grøn", cpr: "0101701111")
        patients["silent"] = try await app.enrol("Søren Stille", cpr: "0101702222")
        patients["yellow"] = try await app.enrol("Gunnar Gul", cpr: "0101703333")
        patients["red"] = try await app.enrol("Rikke Rød", cpr: "0101704444")
        try await app.answerRound(patients["green"]!.0, patients["green"]!.1)
        try await app.expireRound(patients["silent"]!.1)
        try await app.answerRound(patients["yellow"]!.0, patients["yellow"]!.1, mmrc: 3, admitted: true)
        let now = app.clock.now
        let red = patients["red"]!.0
        try await app.context.database.write { db in _ = try ContactRequests.create(db, patientID: red.id, message: "Ring venligst", now: now) }
        return (app, patients)
    }

    @Test func rowsComeInTriageOrderWithWordsForTheirColour() async throws {
        let (app, _) = try await Self.morning()
        let page = try await app.signIn().get("/staff/worklist")
        #expect(page.status == .ok)
        #expect(worklistNames(page.text) == ["Rikke Rød", "Gunnar Gul", "Søren Stille", "Grete Grøn"])
        #expect(page.text.contains("Patienten har bedt om at blive kontaktet"))
        #expect(page.text.contains("Indlagt for lungesygdom"))
        #expect(page.text.contains("Intet svar på spørgeskemaet"))
        #expect(page.text.contains("<span class=\"tag tag--red\">Rød</span>"))
        #expect(page.text.contains("010170-xxxx") && !page.text.contains("010170-4444"))
    }

    @Test func aDecidedFindingCountsAsHandled() async throws {
        let (app, patients) = try await Self.morning()
        let browser = try await app.signIn()
        let (yellow, _) = patients["yellow"]!
        let flagged = try app.context.database.read { db in
            try PatientHistory.responses(db, yellow.id).filter { try TriageRecords.find(db, responseID: $0.id)?.colour == .yellow }
        }
        let subject = "response-\(try #require(flagged.first).id.rawValue)"
        let decided = await browser.post("/staff/patients/\(yellow.id.rawValue)/decide", [("subject", subject), ("kind", "phone-call")])
        #expect(decided.status == .seeOther)
        let page = await browser.get("/staff/worklist").text
        #expect(worklistNames(page) == ["Rikke Rød", "Søren Stille", "Grete Grøn", "Gunnar Gul"])
        #expect(page.contains("(vurderet)"))
    }

    @Test func aFindingIsDecidedFromTheWorklistAndTheNurseComesBack() async throws {
        let (app, patients) = try await Self.morning()
        let browser = try await app.signIn()
        let list = await browser.get("/staff/worklist?category=yellow").text
        let link = try #require(list.components(separatedBy: "class=\"decide-link\" href=\"").dropFirst().first?
            .split(separator: "\"").first.map { $0.replacingOccurrences(of: "&amp;", with: "&") })
        #expect(link.hasSuffix("&back=%2Fstaff%2Fworklist%3Fcategory%3Dyellow"))
        let form = await browser.get(link).text
        #expect(form.contains("name=\"back\" value=\"/staff/worklist?category=yellow\""))
        let subject = try #require(link.components(separatedBy: "subject=").last?.split(separator: "&").first.map(String.init))
        let saved = await browser.post(String(link.split(separator: "?")[0]), [("subject", subject), ("kind", "no-action"),
                                                                               ("back", "/staff/worklist?category=yellow")])
        #expect(saved.location == "/staff/worklist?category=yellow")
        #expect(try app.decisions(patients["yellow"]!.0).map(\.kind) == [.noAction])
    }

    @Test func aContactRequestIsHandledByADecisionOnIt() async throws {
        let (app, patients) = try await Self.morning()
        let browser = try await app.signIn()
        let (red, _) = patients["red"]!
        let request = try #require(try app.context.database.read { db in try ContactRequests.forPatient(db, red.id).first })
        _ = await browser.post("/staff/patients/\(red.id.rawValue)/decide", [("subject", "contact-request-\(request.id.rawValue)"),
                                                                              ("kind", "phone-call"), ("note", "Talt med patienten")])
        let page = await browser.get("/staff/worklist?category=red").text
        #expect(worklistNames(page).isEmpty)
        #expect(try app.decisions(red).first?.kind == .phoneCall)
    }

    @Test(arguments: [
        ("category=yellow", ["Gunnar Gul"]),
        ("category=red&category=no-answer", ["Rikke Rød", "Søren Stille"]),
        ("q=gr%C3%B8n", ["Grete Grøn"]),
        ("q=010170-3333", ["Gunnar Gul"]),
        ("plan=copd-followup&category=green", ["Grete Grøn"]),
        ("plan=epilepsy-standard", []),
        ("datefield=answeredAt&from=2026-11-01&to=2026-11-30", ["Gunnar Gul", "Grete Grøn"]),
        ("datefield=answeredAt&from=2026-12-01", []),
    ])
    func filtersCombine(query: String, expected: [String]) async throws {
        let (app, _) = try await Self.morning()
        let page = try await app.signIn().get("/staff/worklist?\(query)")
        #expect(worklistNames(page.text) == expected)
    }

    @Test func claimingMakesTheRowMineAndTheFilterFindsIt() async throws {
        let (app, patients) = try await Self.morning()
        let browser = try await app.signIn()
        let round = try #require(try app.context.database.read { db in try Rounds.all(db, patients["silent"]!.1.id).last })
        let claimed = await browser.post("/staff/worklist/claim", [("subject", "round-\(round.id.rawValue)"), ("assignee", "me"),
                                                                   ("back", "/staff/worklist?assigned=me")])
        #expect(claimed.location == "/staff/worklist?assigned=me")
        #expect(worklistNames(await browser.get("/staff/worklist?assigned=me").text) == ["Søren Stille"])
        #expect(!worklistNames(await browser.get("/staff/worklist?assigned=unassigned").text).contains("Søren Stille"))
        _ = await browser.post("/staff/worklist/claim", [("subject", "round-\(round.id.rawValue)"), ("assignee", String(app.colleague.id.rawValue))])
        let page = await browser.get("/staff/worklist?q=S%C3%B8ren").text
        #expect(page.contains("<td>Ole Hansen</td>"))
        #expect(worklistNames(await browser.get("/staff/worklist?assigned=me").text).isEmpty)
    }

    @Test func aCorrectedContactNoLongerCountsAsTheLastContact() async throws {
        let (app, patients) = try await Self.morning()
        let browser = try await app.signIn()
        let (yellow, _) = patients["yellow"]!
        let subject = "response-\(try #require(try app.context.database.read { db in try PatientHistory.responses(db, yellow.id) }.first).id.rawValue)"
        let target = "/staff/patients/\(yellow.id.rawValue)/decide"
        _ = await browser.post(target, [("subject", subject), ("kind", "phone-call")])
        #expect(await browser.get("/staff/worklist?q=Gunnar").text.contains("<td>18.11.2026</td>"))
        let call = try #require(try app.decisions(yellow).first)
        _ = await browser.post(target, [("subject", subject), ("kind", "no-action"), ("corrects", String(call.id.rawValue))])
        #expect(!(await browser.get("/staff/worklist?q=Gunnar").text.contains("<td>18.11.2026</td>")))
    }

    @Test func sortingByAColumnMarksItWithAriaSort() async throws {
        let (app, _) = try await Self.morning()
        let browser = try await app.signIn()
        let ascending = await browser.get("/staff/worklist?sort=patientName&dir=asc").text
        #expect(worklistNames(ascending) == ["Grete Grøn", "Gunnar Gul", "Rikke Rød", "Søren Stille"])
        #expect(ascending.contains("aria-sort=\"ascending\"><a href=\"/staff/worklist?sort=patientName&amp;dir=desc\">Patient</a>"))
        let descending = await browser.get("/staff/worklist?category=red&category=green&sort=patientName&dir=desc").text
        #expect(worklistNames(descending) == ["Rikke Rød", "Grete Grøn"])
        #expect(descending.contains("aria-sort=\"descending\""))
        #expect(descending.contains("href=\"/staff/worklist?category=red&amp;category=green&amp;sort=patientName&amp;dir=asc\""))
    }

    @Test func greensAreAcknowledgedInOnePostAsNoActionByTheUser() async throws {
        let (app, patients) = try await Self.morning()
        let second = try await app.enrol("Gitte Grøn", cpr: "0101705555")
        try await app.answerRound(second.0, second.1)
        let browser = try await app.signIn()
        let page = await browser.get("/staff/worklist").text
        let values = page.components(separatedBy: "form=\"acknowledge\"").dropFirst().compactMap { chunk in
            chunk.components(separatedBy: "value=\"").dropFirst().first?.split(separator: "\"").first.map(String.init)
        }
        #expect(values.count == 2)
        let response = await browser.post("/staff/worklist/acknowledge", values.map { ("subject", $0) })
        #expect(response.status == .seeOther)
        for patient in [patients["green"]!.0, second.0] {
            let decisions = try app.decisions(patient)
            #expect(decisions.count == 2)
            #expect(decisions.allSatisfy { $0.kind == .noAction && $0.decidedBy == app.nurse.id })
        }
        #expect(try app.decisions(patients["yellow"]!.0).isEmpty)
        let again = await browser.post("/staff/worklist/acknowledge", values.map { ("subject", $0) })
        #expect(again.status == .seeOther)
        #expect(try app.decisions(second.0).count == 2)
        #expect(!(await browser.get("/staff/worklist").text.contains("form=\"acknowledge\"")))
    }

    @Test func anotherDepartmentsPatientsAreNeitherListedNorOpenable() async throws {
        let (app, _) = try await Self.morning()
        let other = try #require(try app.context.database.read { db in try Departments.find(db, sorCode: "111111111111111") })
        let (stranger, _) = try await app.enrol("Fremmed Patient", cpr: "0101706666", in: other.id)
        let browser = try await app.signIn()
        #expect(!worklistNames(await browser.get("/staff/worklist").text).contains("Fremmed Patient"))
        #expect(await browser.get("/staff/patients/\(stranger.id.rawValue)").status == .notFound)
        let foreign = try await app.signIn("fremmed")
        #expect(worklistNames(await foreign.get("/staff/worklist").text) == ["Fremmed Patient"])
    }
}
