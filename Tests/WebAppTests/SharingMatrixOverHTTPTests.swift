import FollowUp
import Foundation
import HTTPCore
import HTTPServer
import Security
import Sharing
import SQLite
import Storage
import Testing
import WebApp

/// The access matrix over HTTP, against a running server on a loopback socket: two hospital
/// departments, a GP clinic, a municipality with health and social-services staff, an
/// administrator and an analyst, against patients with every combination of GP block,
/// municipal-health block and social-services consent. Each staff member asks for each patient's
/// page with curl; the answer must be exactly what an independently written rule expects, and a
/// shared list never counts a patient the member may not see.
@Suite struct SharingMatrixOverHTTPTests {
    enum Consent: CaseIterable, Sendable { case none, active, withdrawn }

    struct PatientCase: Sendable {
        let cpr: String
        let department: String
        let gpBlocked: Bool
        let healthBlocked: Bool
        let consent: Consent
    }

    /// The expectation, written from the issue's words rather than from the policy's code.
    static func mayRead(_ staff: String, _ patient: PatientCase) -> Bool {
        switch staff {
        case "a-doctor": patient.department == "A"
        case "b-doctor": patient.department == "B"
        case "gp-doctor": patient.department == "A" && !patient.gpBlocked
        case "home-nurse": patient.department == "A" && !patient.healthBlocked
        case "case-worker": patient.department == "A" && patient.consent == .active
        default: false
        }
    }

    @Test func everyStaffKindAgainstEveryPatientKindMatchesThePolicy() async throws {
        let app = try await StaffApp()
        let now = app.clock.now
        let hash = PasswordHash(password: StaffApp.password, iterations: 1_000).encoded
        let combinations = [false, true].flatMap { gp in [false, true].flatMap { health in Consent.allCases.map { (gp, health, $0) } } }
        let cases = [PatientCase(cpr: "0101801000", department: "B", gpBlocked: false, healthBlocked: false, consent: .none)]
            + combinations.enumerated().map { offset, combination in
                PatientCase(cpr: String(format: "01018%05d", offset + 1), department: "A", gpBlocked: combination.0,
                            healthBlocked: combination.1, consent: combination.2)
            }
        let ids = try await app.context.database.write { db -> [String: PatientID] in
            let a = app.department
            let b = try Departments.find(db, sorCode: "111111111111111")!
            let gp = try Departments.insert(db, sorCode: "200000000000001", name: "Lægehuset", phone: "2", kind: .gpClinic)
            let health = try Departments.insert(db, sorCode: "300000000000001", name: "Hjemmeplejen", phone: "3",
                                                kind: .municipalHealthUnit, municipalityCode: "0101")
            let social = try Departments.insert(db, sorCode: "400000000000001", name: "Socialcentret", phone: "4",
                                                kind: .municipalSocialServicesUnit, municipalityCode: "0101")
            for (username, organisation, role) in [("a-doctor", a, "health-professional"), ("b-doctor", b, "health-professional"),
                                                   ("gp-doctor", gp, "health-professional"), ("home-nurse", health, "municipal-health-staff"),
                                                   ("case-worker", social, "municipal-non-health-staff"), ("admin", a, "administrator"),
                                                   ("analyst", a, "analyst")] {
                try StaffAccounts.create(db, username: username, displayName: username, departmentID: organisation.id, role: role,
                                         passwordHash: hash, now: now)
            }
            let plan = app.context.latestPlan(id: StaffApp.copd)!
            var ids: [String: PatientID] = [:]
            for patientCase in cases {
                let department = patientCase.department == "A" ? a : b
                let contact = patientCase.department == "A"
                    ? PatientContact(email: "x@example.dk", gpSORCode: gp.sorCode, municipalityCode: "0101") : PatientContact(email: "x@example.dk")
                let patient = try Patients.insert(db, cpr: patientCase.cpr, name: "Patient \(patientCase.cpr)", language: "da",
                                                  departmentID: department.id, contact: contact)
                _ = try Enrolments.enrol(db, patientID: patient.id, departmentID: department.id, planID: plan.id, planVersion: plan.version,
                                         startDate: CalendarDay(now, in: app.context.timeZone), actor: "test", now: now.addingTimeInterval(-600))
                let choices: [(Department, SharingChoice.Kind)] = (patientCase.gpBlocked ? [(gp, .block)] : [])
                    + (patientCase.healthBlocked ? [(health, .block)] : [])
                    + (patientCase.consent == .none ? [] : [(social, .consent)])
                    + (patientCase.consent == .withdrawn ? [(social, .withdrawConsent)] : [])
                for (offset, (organisation, kind)) in choices.enumerated() {
                    try SharingRecords.record(db, patientID: patient.id, organisation: organisation, kind: kind,
                                              at: now.addingTimeInterval(Double(offset - 300)), channel: "test", actor: "patient")
                }
                ids[patientCase.cpr] = patient.id
            }
            return ids
        }

        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), responder: app.app)
        let base = "http://127.0.0.1:\(try server.start())"
        var mismatches: [String] = []
        var unexpectedOK = 0
        var checked = 0
        for staff in ["a-doctor", "b-doctor", "gp-doctor", "home-nurse", "case-worker", "admin", "analyst"] {
            let browser = try await app.signIn(staff)
            let cookie = "\(StaffCookies.sessionName)=\(browser.session)"
            for patientCase in cases {
                let id = ids[patientCase.cpr]!.rawValue
                let answer = try await curl(["-H", "Cookie: \(cookie)", base + "/staff/patients/\(id)"])
                let expected = Self.mayRead(staff, patientCase)
                checked += 1
                if (answer.status == 200) != expected || ![200, 404].contains(answer.status) {
                    mismatches.append("\(staff) → \(patientCase): \(answer.status), expected \(expected ? 200 : 404)")
                    if answer.status == 200 { unexpectedOK += 1 }
                }
            }
            let shared = try await curl(["-H", "Cookie: \(cookie)", base + "/staff/shared"])
            let listed = cases.filter { shared.body.contains("Patient \($0.cpr)") }.count
            let visibleOthers = ["gp-doctor", "home-nurse", "case-worker"].contains(staff) ? cases.filter { Self.mayRead(staff, $0) }.count : listed
            #expect(listed == visibleOthers, "\(staff): the shared list holds \(listed) patients")
        }
        await server.shutdown()
        #expect(checked == 7 * 13)
        #expect(unexpectedOK == 0)
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }
}
