import FollowUp
import Foundation
import HTTPCore
import Security
import Sharing
import SQLite
import Storage
import Testing
import WebApp

/// One access policy for every staff read: the GP sees the shared patient read-only, a block
/// takes effect on the next request of a session already open, refusals are 404 and audited.
@Suite struct StaffSharingTests {
    /// A GP clinic with a doctor, and a patient of the department who names that clinic as GP.
    static func setUp() async throws -> (StaffApp, Patient, gp: Department) {
        let app = try await StaffApp()
        let now = app.clock.now
        let gp = try await app.context.database.write { db in
            let clinic = try Departments.insert(db, sorCode: "380000000000001", name: "Lægerne i Byen", phone: "33 33 33 33", kind: .gpClinic)
            try StaffAccounts.create(db, username: "laege", displayName: "Dr. Lund", departmentID: clinic.id, role: "health-professional",
                                     passwordHash: PasswordHash(password: StaffApp.password, iterations: 1_000).encoded, now: now)
            return clinic
        }
        let patient = try await app.context.database.write { db in
            let patient = try Patients.insert(db, cpr: "0101709999", name: "Delt Patient", language: "da", departmentID: app.department.id,
                                              contact: PatientContact(email: "d@example.dk", gpSORCode: "380000000000001"))
            let plan = app.context.latestPlan(id: StaffApp.copd)!
            _ = try Enrolments.enrol(db, patientID: patient.id, departmentID: app.department.id, planID: plan.id, planVersion: plan.version,
                                     startDate: CalendarDay(now, in: app.context.timeZone), actor: "test", now: now.addingTimeInterval(-60))
            return patient
        }
        return (app, patient, gp)
    }

    @Test func theGPSeesTheSharedPatientReadOnly() async throws {
        let (app, patient, _) = try await Self.setUp()
        let doctor = try await app.signIn("laege")
        let shared = await doctor.get("/staff/shared")
        #expect(shared.status == .ok)
        #expect(shared.text.contains("Delt Patient") && shared.text.contains(app.department.name))
        let overview = await doctor.get("/staff/patients/\(patient.id.rawValue)")
        #expect(overview.status == .ok)
        #expect(!overview.text.contains("Indtast papirskema") && !overview.text.contains("Sæt på pause"))
        let paper = await doctor.post("/staff/patients/\(patient.id.rawValue)/paper", [("questionnaire", "x"), ("date", "2026-01-01")])
        #expect(paper.status == .notFound)
        let worklist = await doctor.get("/staff/worklist")
        #expect(!worklist.text.contains("Delt Patient"), "the worklist is the responsible department's")
        let basis = try app.context.database.read { db in
            try db.queryOne("SELECT legal_basis FROM audit_events WHERE what = 'patient-overview' AND organisation_sor = '380000000000001'")?
                .optionalString("legal_basis")
        }
        #expect(basis == "treatmentRelation")
    }

    @Test func aBlockTakesEffectOnTheNextRequestOfAnOpenSessionAndTheDenialIsAudited() async throws {
        let (app, patient, gp) = try await Self.setUp()
        let doctor = try await app.signIn("laege")
        #expect(await doctor.get("/staff/patients/\(patient.id.rawValue)").status == .ok)
        let now = app.clock.now
        try await app.context.database.write { db in
            try SharingRecords.record(db, patientID: patient.id, organisation: gp, kind: .block, at: now, channel: "patient", actor: "patient")
        }
        app.clock.advance(by: 1)
        let refused = await doctor.get("/staff/patients/\(patient.id.rawValue)")
        #expect(refused.status == .notFound)
        #expect(!(await doctor.get("/staff/shared")).text.contains("Delt Patient"))
        let denial = try app.context.database.read { db in
            try db.queryOne("SELECT outcome FROM audit_events WHERE action = 'denied' AND patient_id = ?", [.integer(patient.id.rawValue)])?
                .string("outcome")
        }
        #expect(denial == "denied:blocked")
        guard case .intact = try app.context.database.read({ try AuditLog.verify($0) }) else {
            Issue.record("the audit chain must stay intact")
            return
        }
        let nurse = try await app.signIn()
        #expect(await nurse.get("/staff/patients/\(patient.id.rawValue)").status == .ok, "a block does not stop the responsible department")
    }

    @Test func anUnknownPatientAndARefusedOneLookTheSame() async throws {
        let (app, _, _) = try await Self.setUp()
        let doctor = try await app.signIn("laege")
        let unknown = await doctor.get("/staff/patients/999999")
        let (_, other) = try await app.enrol("Ikke Delt", cpr: "0101708888")
        let refused = await doctor.get("/staff/patients/\(other.patientID.rawValue)")
        #expect(unknown.status == .notFound && refused.status == .notFound)
        #expect(unknown.text == refused.text)
    }
}

/// Analysts work with aggregates only: person-level pages answer 404 even in their own department.
@Test func anAnalystReachesNoPersonLevelPage() async throws {
    let app = try await StaffApp()
    let now = app.clock.now
    _ = try await app.context.database.write { db in
        try StaffAccounts.create(db, username: "analytiker", displayName: "Ana Lytiker", departmentID: app.department.id, role: "analyst",
                                 passwordHash: PasswordHash(password: StaffApp.password, iterations: 1_000).encoded, now: now)
    }
    let (patient, _) = try await app.enrol("Person Level", cpr: "0101707777")
    let analyst = try await app.signIn("analytiker")
    for page in ["/staff/worklist", "/staff/enrol", "/staff/letters", "/staff/deliveries", "/staff/lists",
                 "/staff/patients/\(patient.id.rawValue)"] {
        #expect(await analyst.get(page).status == .notFound, "\(page)")
    }
    #expect(await analyst.get("/staff/population").status == .ok)
}

/// No audit row, no data: when the audit insert fails, the patient's page is not shown.
@Test func whenTheAuditWriteFailsNoPatientDataIsReturned() async throws {
    let app = try await StaffApp()
    let (patient, _) = try await app.enrol("Hemmelig Hansen", cpr: "0101706666")
    let nurse = try await app.signIn()
    try await app.context.database.write { db in
        try db.execute("CREATE TRIGGER audit_broken BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'audit disk gone'); END")
    }
    let page = await nurse.get("/staff/patients/\(patient.id.rawValue)")
    #expect(page.status.code >= 500)
    #expect(!page.text.contains("Hemmelig Hansen") && !page.text.contains("0101706666"))
    try await app.context.database.write { db in try db.execute("DROP TRIGGER audit_broken") }
    #expect(await nurse.get("/staff/patients/\(patient.id.rawValue)").text.contains("Hemmelig Hansen"))
}

/// Break the glass: another department's doctor opens a patient with a reason, for an hour,
/// audited as emergency access, listed for review; never against the patient's block.
@Suite struct EmergencyAccessTests {
    static func setUp() async throws -> (StaffApp, Patient, StaffBrowser) {
        let app = try await StaffApp()
        let now = app.clock.now
        try await app.context.database.write { db in
            let other = try Departments.find(db, sorCode: "111111111111111")!
            try StaffAccounts.create(db, username: "vagt", displayName: "Dr. Vagt", departmentID: other.id, role: "health-professional",
                                     passwordHash: PasswordHash(password: StaffApp.password, iterations: 1_000).encoded, now: now)
        }
        let (patient, _) = try await app.enrol("Akut Andersen", cpr: "0101704444")
        return (app, patient, try await app.signIn("vagt"))
    }

    @Test func aReasonOpensThePatientForAnHourAndIsAuditedAsEmergency() async throws {
        let (app, patient, doctor) = try await Self.setUp()
        #expect(await doctor.get("/staff/patients/\(patient.id.rawValue)").status == .notFound)
        let blank = await doctor.post("/staff/emergency", [("cpr", "010170-4444"), ("reason", "  ")])
        #expect(blank.status == .unprocessableContent)
        let opened = await doctor.post("/staff/emergency", [("cpr", "010170-4444"), ("reason", "Kramper i skadestuen")])
        #expect(opened.status == .seeOther && opened.location == "/staff/patients/\(patient.id.rawValue)")
        #expect(await doctor.get("/staff/patients/\(patient.id.rawValue)").status == .ok)
        let bases = try app.context.database.read { db in
            try db.query("SELECT legal_basis FROM audit_events WHERE patient_id = ? AND action = 'read'", [.integer(patient.id.rawValue)])
                .map { try $0.optionalString("legal_basis") }
        }
        #expect(bases == ["vitalInterest", "vitalInterest"])
        #expect((await doctor.get("/staff/emergency/review")).text.contains("Kramper i skadestuen"))
        app.clock.advance(by: 3_601)
        let later = try await app.signIn("vagt")
        #expect(await later.get("/staff/patients/\(patient.id.rawValue)").status == .notFound, "the grant lasts an hour")
    }

    @Test func aBlockedPatientCannotBeOpenedEvenInAnEmergency() async throws {
        let (app, patient, doctor) = try await Self.setUp()
        let now = app.clock.now
        try await app.context.database.write { db in
            let other = try Departments.find(db, sorCode: "111111111111111")!
            try SharingRecords.record(db, patientID: patient.id, organisation: other, kind: .block, at: now, channel: "patient", actor: "p")
        }
        app.clock.advance(by: 1)
        let refused = await doctor.post("/staff/emergency", [("cpr", "0101704444"), ("reason", "Kramper")])
        #expect(refused.status == .notFound)
        let denial = try app.context.database.read { db in
            try db.queryOne("SELECT outcome FROM audit_events WHERE action = 'denied'")?.string("outcome")
        }
        #expect(denial == "denied:blocked")
    }
}

/// A withdrawn consent counts on the next request of a case worker's session that was opened
/// while the consent held.
@Test func aWithdrawnConsentTakesEffectInASessionOpenedBefore() async throws {
    let app = try await StaffApp()
    let now = app.clock.now
    let (patient, social) = try await app.context.database.write { db -> (Patient, Department) in
        let social = try Departments.insert(db, sorCode: "400000000000009", name: "Socialcentret", phone: "4",
                                            kind: .municipalSocialServicesUnit, municipalityCode: "0101")
        try StaffAccounts.create(db, username: "sagsbehandler", displayName: "Sagsbehandler", departmentID: social.id,
                                 role: "municipal-non-health-staff",
                                 passwordHash: PasswordHash(password: StaffApp.password, iterations: 1_000).encoded, now: now)
        let patient = try Patients.insert(db, cpr: "0101703131", name: "Samtykke Sørensen", language: "da", departmentID: app.department.id)
        try SharingRecords.record(db, patientID: patient.id, organisation: social, kind: .consent, at: now.addingTimeInterval(-60),
                                  channel: "patient", actor: "patient")
        return (patient, social)
    }
    let worker = try await app.signIn("sagsbehandler")
    #expect(await worker.get("/staff/patients/\(patient.id.rawValue)").status == .ok)
    try await app.context.database.write { db in
        try SharingRecords.record(db, patientID: patient.id, organisation: social, kind: .withdrawConsent, at: now,
                                  channel: "patient", actor: "patient")
    }
    app.clock.advance(by: 1)
    #expect(await worker.get("/staff/patients/\(patient.id.rawValue)").status == .notFound)
}
