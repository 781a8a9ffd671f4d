import FollowUp
import Foundation
import HTTPCore
import Security
import Sharing
import SQLite
import Storage
import Testing
import WebApp

/// The patient's own sharing choices and access log, from their link.
@Suite struct PatientSharingTests {
    static func setUp() async throws -> (StaffApp, Patient, gp: Department, social: Department, token: String) {
        let (app, _, gp) = try await StaffSharingTests.setUp()
        let now = app.clock.now
        let (patient, social, token) = try await app.context.database.write { db in
            var patient = try Patients.find(db, cpr: "0101709999")!
            try Patients.update(db, patient.id, name: patient.name, language: "da",
                                contact: PatientContact(email: "d@example.dk", gpSORCode: "380000000000001", municipalityCode: "0101"))
            patient = try Patients.find(db, id: patient.id)!
            let social = try Departments.insert(db, sorCode: "500000000000001", name: "Socialcenter Indre By", phone: "5",
                                                kind: .municipalSocialServicesUnit, municipalityCode: "0101")
            let who5 = app.context.catalogue.latest(url: TestApp.who5)!
            let token = try Invitations.create(db, patientID: patient.id, questionnaireURL: who5.url, questionnaireVersion: who5.version,
                                               now: now, validFor: .seconds(86_400)).token
            return (patient, social, token)
        }
        return (app, patient, gp, social, token)
    }

    @Test func thePatientSeesWhoCanSeeTheirAnswersAndBlocksTheirGP() async throws {
        let (app, patient, gp, _, token) = try await Self.setUp()
        let page = await app.request(.get, "/q/\(token)/sharing")
        #expect(page.status == .ok)
        #expect(page.text.contains("Lægerne i Byen") && page.text.contains("Behandler dig (din egen læge)"))
        #expect(page.text.contains("Socialcenter Indre By") && page.text.contains("Kun med dit samtykke"))

        let blocked = await app.request(.post, "/q/\(token)/sharing",
                                        fields: [("organisation", String(gp.id.rawValue)), ("choice", "block"), ("lang", "da")])
        #expect(blocked.status == .ok)
        #expect(blocked.text.contains("Dit valg er gemt") && blocked.text.contains("Nej – du har spærret"))
        #expect(blocked.text.contains("Spær – Lægerne i Byen"), "the history names the choice")
        let doctor = try await app.signIn("laege")
        #expect(await doctor.get("/staff/patients/\(patient.id.rawValue)").status == .notFound)

        _ = await app.request(.post, "/q/\(token)/sharing", fields: [("organisation", String(gp.id.rawValue)), ("choice", "unblock")])
        #expect(await doctor.get("/staff/patients/\(patient.id.rawValue)").status == .ok)
        let changes = try app.context.database.read { db in
            try db.query("SELECT detail FROM audit_events WHERE what = 'sharing' ORDER BY id").map { try $0.optionalString("detail") }
        }
        #expect(changes == ["block 380000000000001", "unblock 380000000000001"])
    }

    @Test func consentToSocialServicesIsGivenForAtMostAYearAndCanBeWithdrawn() async throws {
        let (app, _, _, social, token) = try await Self.setUp()
        let given = await app.request(.post, "/q/\(token)/sharing", fields: [("organisation", String(social.id.rawValue)), ("choice", "consent")])
        #expect(given.text.contains("Du har givet samtykke til og med"))
        let withdrawn = await app.request(.post, "/q/\(token)/sharing",
                                          fields: [("organisation", String(social.id.rawValue)), ("choice", "withdraw-consent")])
        #expect(withdrawn.text.contains("Kun med dit samtykke"))
    }

    @Test(arguments: [[("organisation", "999"), ("choice", "block")], [("choice", "consent")], [("organisation", "1"), ("choice", "block")]])
    func aChoiceThePageDidNotOfferIsRefusedAndStoresNothing(fields: [(String, String)]) async throws {
        let (app, _, _, _, token) = try await Self.setUp()
        let response = await app.request(.post, "/q/\(token)/sharing", fields: fields)
        #expect(response.status == .badRequest)
        #expect(try app.context.database.read { try $0.queryOne("SELECT count(*) AS n FROM sharing_choices")?.int("n") } == 0)
    }

    @Test func theAccessLogNamesWhoLookedAndHidesProtectedStaff() async throws {
        let (app, patient, _, _, token) = try await Self.setUp()
        let doctor = try await app.signIn("laege")
        _ = await doctor.get("/staff/patients/\(patient.id.rawValue)")
        let log = await app.request(.get, "/q/\(token)/access-log")
        #expect(log.status == .ok)
        #expect(log.text.contains("Dr. Lund, Lægerne i Byen, sundhedsperson"))
        #expect(log.text.contains("Så dit overblik og dine svar") && log.text.contains("Behandler dig"))

        let doctorID = try #require(try app.context.database.read { try StaffAccounts.find($0, username: "laege") }).id
        try await app.context.database.write { db in try StaffAccounts.setProtected(db, doctorID, true) }
        let masked = await app.request(.get, "/q/\(token)/access-log")
        #expect(!masked.text.contains("Dr. Lund") && masked.text.contains("Lægerne i Byen, sundhedsperson"))
    }
}
