import FollowUp
import Foundation
import HTTPCore
import Storage
import Testing
@testable import WebApp

@Suite struct StaffEnrolTests {
    static let valid: [String: String] = [
        "cpr": "010170-1234", "name": "Ny Patient", "email": "ny@example.org", "mobile": "20 30 40 50", "language": "da",
        "delivery": "email", "gp": "123456789", "municipality": "0101", "plan": "copd-followup", "start": "2026-12-01",
    ]

    static func fields(_ changes: [String: String]) -> [(String, String)] {
        valid.merging(changes) { $1 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static func stored(_ app: StaffApp) throws -> (patients: Int, enrolments: Int) {
        try app.context.database.read { db in
            (Int(try db.queryOne("SELECT count(*) AS n FROM patients")?.int("n") ?? 0),
             Int(try db.queryOne("SELECT count(*) AS n FROM enrolments")?.int("n") ?? 0))
        }
    }

    @Test func theFormOffersTheNewestPlansAndTodayAsStart() async throws {
        let app = try await StaffApp()
        let page = try await app.signIn().get("/staff/enrol").text
        #expect(page.contains("<option value=\"copd-followup\" >KOL – behovsstyret opfølgning</option>"))
        #expect(page.contains("value=\"2026-11-18\""))
        #expect(page.contains("<label class=\"question__label\" for=\"cpr\">CPR-nummer</label>"))
    }

    @Test func aValidFormCreatesThePatientAndEnrols() async throws {
        let app = try await StaffApp()
        let response = try await app.signIn().post("/staff/enrol", Self.fields([:]))
        #expect(response.status == .seeOther)
        let patient = try #require(try app.context.database.read { db in try Patients.find(db, cpr: "0101701234") })
        #expect(response.location == "/staff/patients/\(patient.id.rawValue)")
        #expect(patient.contact.municipalityCode == "0101" && patient.contact.email == "ny@example.org")
        let enrolment = try #require(try app.context.database.read { db in try Enrolments.forPatient(db, patient.id).first })
        #expect(enrolment.planID == "copd-followup" && enrolment.schedule.startDate == CalendarDay(year: 2026, month: 12, day: 1))
        #expect(enrolment.departmentID == app.department.id)
    }

    @Test(arguments: [
        (["cpr": "12345"], "Ugyldigt CPR-nummer: skriv 10 cifre"),
        (["cpr": "310290-1234"], "Ugyldigt CPR-nummer: datoen 310290 findes ikke"),
        (["name": ""], "Skriv patientens navn"),
        (["email": ""], "Skriv en e-mailadresse, eller vælg brev"),
        (["email": "ikke en adresse"], "E-mailadressen ser forkert ud"),
        (["delivery": "fax"], "Vælg e-mail eller brev"),
        (["mobile": "12"], "Mobilnummeret skal være 8 til 15 cifre"),
        (["gp": "ABC"], "SOR-koden må kun indeholde cifre"),
        (["municipality": "1"], "Kommunekoden skal være 3 eller 4 cifre"),
        (["plan": "no-such-plan"], "Vælg et forløb"),
        (["start": "i morgen"], "Skriv datoen for det første spørgeskema"),
    ])
    func invalidFormsStoreNothingAndSayWhat(changes: [String: String], message: String) async throws {
        let app = try await StaffApp()
        let response = try await app.signIn().post("/staff/enrol", Self.fields(changes))
        #expect(response.status == .unprocessableContent)
        #expect(response.text.contains(message))
        #expect(response.text.contains("<title>Fejl: Tilmeld patient – ByNeed</title>"))
        if changes["cpr"] != nil {
            #expect(response.text.contains("aria-invalid=\"true\" aria-describedby=\"cpr-hint cpr-error\""))
        }
        #expect(try Self.stored(app) == (0, 0))
    }

    @Test func aLetterPatientNeedsNoEmail() async throws {
        let app = try await StaffApp()
        let response = try await app.signIn().post("/staff/enrol", Self.fields(["email": "", "delivery": "letter"]))
        #expect(response.status == .seeOther)
        #expect(try Self.stored(app) == (1, 1))
    }

    @Test func enrollingTwiceInTheSamePlanIsRefusedClearlyAndChangesNothing() async throws {
        let app = try await StaffApp()
        let browser = try await app.signIn()
        _ = await browser.post("/staff/enrol", Self.fields([:]))
        let again = await browser.post("/staff/enrol", Self.fields(["name": "Omdøbt"]))
        #expect(again.status.code == 409)
        #expect(again.text.contains("Patienten er allerede tilmeldt dette forløb"))
        #expect(try Self.stored(app) == (1, 1))
        #expect(try app.context.database.read { db in try Patients.find(db, cpr: "0101701234") }?.name == "Ny Patient")
    }

    @Test func aPatientOfAnotherDepartmentIsNotTakenOver() async throws {
        let app = try await StaffApp()
        let other = try #require(try app.context.database.read { db in try Departments.find(db, sorCode: "111111111111111") })
        try await app.enrol("Fremmed", cpr: "0101701234", in: other.id)
        let response = try await app.signIn().post("/staff/enrol", Self.fields(["plan": "epilepsy-standard"]))
        #expect(response.status.code == 409)
        #expect(response.text.contains("Patienten hører til en anden afdeling"))
        #expect(try Self.stored(app) == (1, 1))
    }
}
