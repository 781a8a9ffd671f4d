import Foundation
import HTTPCore
import JSON
import Storage
import Testing
@testable import WebApp

/// Consent, AuditEvent and Organization over `/fhir`: who sees which sharing episodes and which
/// audit rows (docs/access-policy.md, "API: Consent and AuditEvent").
@Suite struct FHIRAPIConsentAuditTests {
    static let cpr = "0101701234"
    static let byCPR = "patient:identifier=urn:oid:1.2.208.176.1.2%7C\(cpr)"

    /// The app with a social-services unit, and a patient of the department with the GP clinic
    /// as GP who answered one round.
    struct World {
        let app: FHIRAPIApp
        let social: Department
        let other: Department
        let patient: Patient

        init() async throws {
            app = try await FHIRAPIApp()
            (social, other) = try await app.context.database.write { db in
                (try Departments.insert(db, sorCode: "500000000000001", name: "Socialcenter Indre By", phone: "5",
                                        kind: .municipalSocialServicesUnit, municipalityCode: "0101"),
                 try #require(try Departments.find(db, sorCode: "111111111111111")))
            }
            let (patient, enrolment) = try await app.enrolWithGP("Anna Andersen", cpr: FHIRAPIConsentAuditTests.cpr)
            self.patient = patient
            try await app.staff.answerRound(patient, enrolment)
        }

        /// The patient makes `kind` about `organisation` now, then an hour passes.
        func choose(_ kind: SharingChoice.Kind, _ organisation: Department) async throws {
            let now = app.staff.clock.now
            let patientID = patient.id
            try await app.context.database.write { db in
                try SharingRecords.record(db, patientID: patientID, organisation: organisation, kind: kind, at: now,
                                          expiresAt: kind == .consent ? now.addingTimeInterval(30 * 86_400) : nil, channel: "test", actor: "patient")
            }
            app.staff.clock.advance(by: 3600)
        }

        func search(_ query: String, _ token: String) async throws -> (status: Int, json: JSON) {
            let response = await app.request(.get, "/fhir/\(query)", token: token)
            return (response.status.code, try FHIRAPIApp.json(response))
        }

        /// The SOR codes each matched Consent names as recipient.
        func recipients(_ bundle: JSON) -> [String] {
            (bundle["entry"]?.arrayValue ?? []).compactMap { $0["resource"]?["provision"]?["actor"]?[0]?["reference"]?["identifier"]?["value"]?.stringValue }
        }
    }

    // MARK: - Consent

    @Test func theResponsibleDepartmentSeesEveryEpisodeAndTheGPOnlyItsOwn() async throws {
        let world = try await World()
        try await world.choose(.block, world.app.gp)
        try await world.choose(.unblock, world.app.gp)
        try await world.choose(.consent, world.social)
        try await world.choose(.block, world.other)
        let (_, department) = try await world.app.client()
        let all = try await world.search("Consent?\(Self.byCPR)", department)
        #expect(all.status == 200)
        #expect(all.json["total"] == 3)
        #expect(Set(world.recipients(all.json)) == [FHIRAPIApp.gpSOR, world.social.sorCode, world.other.sorCode])
        let active = try await world.search("Consent?\(Self.byCPR)&status=active", department)
        #expect(active.json["total"] == 2)

        let (_, gp) = try await world.app.client(world.app.gp)
        for query in ["Consent?\(Self.byCPR)", "Consent"] {
            let own = try await world.search(query, gp)
            #expect(own.json["total"] == 1, "\(query)")
            #expect(world.recipients(own.json) == [FHIRAPIApp.gpSOR])
            #expect(own.json["entry"]?[0]?["resource"]?["status"] == "inactive")
            #expect(own.json["entry"]?[0]?["resource"]?["meta"]?["versionId"] == "2")
        }
        let othersID = try #require(all.json["entry"]?.arrayValue?.first { $0["resource"]?["provision"]?["type"] == "permit" }?["resource"]?["id"]?.stringValue)
        #expect(await world.app.request(.get, "/fhir/Consent/\(othersID)", token: gp).status.code == 404)
        #expect(await world.app.request(.get, "/fhir/Consent/\(othersID)", token: department).status.code == 200)
    }

    @Test func aBlockedGPGetsNothingNotEvenItsOwnBlockOrACount() async throws {
        let world = try await World()
        try await world.choose(.block, world.app.gp)
        let (_, department) = try await world.app.client()
        let blockID = try #require(try await world.search("Consent?\(Self.byCPR)", department).json["entry"]?[0]?["resource"]?["id"]?.stringValue)
        let (gpClient, gp) = try await world.app.client(world.app.gp)
        let read = await world.app.request(.get, "/fhir/Consent/\(blockID)", token: gp)
        #expect(read.status.code == 404)
        #expect(try FHIRAPIApp.json(read)["resourceType"] == "OperationOutcome")
        for query in ["Consent?\(Self.byCPR)", "Consent"] {
            let found = try await world.search(query, gp)
            #expect(found.status == 200)
            #expect(found.json["total"] == 0, "\(query)")
        }
        let denials = try world.app.context.database.read { db in try AuditLog.forPatient(db, world.patient.id) }
            .filter { $0.actorID == String(gpClient.id.rawValue) && $0.action == .denied }
        #expect(denials.count == 1)
    }

    @Test func socialServicesSeeTheirConsentWhileItHolds() async throws {
        let world = try await World()
        try await world.choose(.consent, world.social)
        try await world.choose(.block, world.app.gp)
        let (_, social) = try await world.app.client(world.social)
        let found = try await world.search("Consent", social)
        #expect(found.json["total"] == 1)
        #expect(world.recipients(found.json) == [world.social.sorCode])
        #expect(found.json["entry"]?[0]?["resource"]?["provision"]?["type"] == "permit")
        let id = try #require(found.json["entry"]?[0]?["resource"]?["id"]?.stringValue)
        #expect(await world.app.request(.get, "/fhir/Consent/\(id)", token: social).status.code == 200)

        try await world.choose(.withdrawConsent, world.social)
        #expect(try await world.search("Consent", social).json["total"] == 0)
        #expect(await world.app.request(.get, "/fhir/Consent/\(id)", token: social).status.code == 404)
    }

    @Test func consentNeedsItsScope() async throws {
        let world = try await World()
        let (_, token) = try await world.app.client(scopes: ["system/Patient.read"])
        #expect(await world.app.request(.get, "/fhir/Consent?\(Self.byCPR)", token: token).status.code == 403)
        #expect(await world.app.request(.get, "/fhir/AuditEvent?\(Self.byCPR)", token: token).status.code == 403)
        let (_, scoped) = try await world.app.client(scopes: ["system/Consent.read", "system/AuditEvent.read"])
        #expect(await world.app.request(.get, "/fhir/Consent?\(Self.byCPR)", token: scoped).status.code == 200)
        #expect(await world.app.request(.get, "/fhir/AuditEvent?\(Self.byCPR)", token: scoped).status.code == 200)
    }

    // MARK: - AuditEvent

    /// Audit rows about the patient by a named nurse, a protected one, the other department and
    /// the GP clinic.
    private func audited(_ world: World) async throws -> (named: StaffAccount, protected: StaffAccount) {
        let staff = world.app.staff
        let (named, protected, now, patientID, other) = (staff.nurse, staff.colleague, staff.clock.now, world.patient.id, world.other)
        try await world.app.context.database.write { db in
            try StaffAccounts.setProtected(db, protected.id, true)
            for (account, sor) in [(named, DemoData.departmentSOR), (protected, DemoData.departmentSOR), (named, other.sorCode), (named, FHIRAPIApp.gpSOR)] {
                try AuditLog.append(db, AuditEntry(at: now, actorKind: .staff, actorID: String(account.id.rawValue), actorRole: "health-professional",
                                                   organisationSOR: sor, patientID: patientID, action: .read, what: "patient-overview",
                                                   legalBasis: "treatmentRelation", outcome: "allowed"))
            }
        }
        staff.clock.advance(by: 60)
        return (named, protected)
    }

    @Test func anOrganisationListsOnlyWhatItsOwnStaffAndClientsDidAndNeverAProtectedName() async throws {
        let world = try await World()
        let (named, protected) = try await audited(world)
        let (client, department) = try await world.app.client()
        #expect(await world.app.request(.get, "/fhir/Patient/patient-\(world.patient.id.rawValue)", token: department).status.code == 200)
        let own = try world.app.context.database.read { db in
            try AuditLog.forPatient(db, world.patient.id).filter {
                $0.organisationSOR == DemoData.departmentSOR && ($0.actorKind == .staff || $0.actorKind == .apiClient)
            }.count
        }
        let found = try await world.search("AuditEvent?\(Self.byCPR)", department)
        #expect(found.status == 200)
        #expect(found.json["total"]?.intValue == own)
        #expect(own == 3)
        let body = found.json.serialized()
        #expect(body.contains(named.displayName))
        #expect(!body.contains(protected.displayName))
        let organisations = Set((found.json["entry"]?.arrayValue ?? []).flatMap { entry in
            (entry["resource"]?["agent"]?.arrayValue ?? []).compactMap { $0["who"]?["identifier"]?["value"]?.stringValue }
        })
        #expect(organisations == [DemoData.departmentSOR, String(client.id.rawValue)])

        let rows = try world.app.context.database.read { db in try AuditLog.forPatient(db, world.patient.id) }
        #expect(rows.first?.what == "AuditEvent search" && rows.first?.actorID == String(client.id.rawValue))
    }

    @Test func anotherOrganisationsAuditEventIsNotFound() async throws {
        let world = try await World()
        _ = try await audited(world)
        let (_, gp) = try await world.app.client(world.app.gp)
        let gpFound = try await world.search("AuditEvent?\(Self.byCPR)", gp)
        #expect(gpFound.json["total"] == 1)
        let gpEvent = try #require(gpFound.json["entry"]?[0]?["resource"]?["id"]?.stringValue)
        let (_, department) = try await world.app.client()
        #expect(await world.app.request(.get, "/fhir/AuditEvent/\(gpEvent)", token: department).status.code == 404)
        let read = await world.app.request(.get, "/fhir/AuditEvent/\(gpEvent)", token: gp)
        #expect(read.status.code == 200)
        #expect(try FHIRAPIApp.json(read)["id"]?.stringValue == gpEvent)
        let others = try world.app.context.database.read { db in try AuditLog.forPatient(db, world.patient.id, producedBy: world.other.sorCode) }
        let otherID = try #require(others.first?.id)
        #expect(await world.app.request(.get, "/fhir/AuditEvent/audit-\(otherID)", token: gp).status.code == 404)
        #expect(await world.app.request(.get, "/fhir/AuditEvent/audit-\(otherID)", token: department).status.code == 404)
    }

    @Test func aBlockedGPListsNoAuditEventsAndTheDateNarrowsTheList() async throws {
        let world = try await World()
        _ = try await audited(world)
        try await world.choose(.block, world.app.gp)
        let (_, gp) = try await world.app.client(world.app.gp)
        #expect(try await world.search("AuditEvent?\(Self.byCPR)", gp).json["total"] == 0)
        let (_, department) = try await world.app.client()
        #expect(try await world.search("AuditEvent?\(Self.byCPR)&date=ge2099-01-01", department).json["total"] == 0)
        #expect(try await world.search("AuditEvent?\(Self.byCPR)&date=le2099-01-01", department).json["total"] == 2)
    }

    @Test func anAuditEventSearchWithoutAPatientIsRefused() async throws {
        let world = try await World()
        let (_, department) = try await world.app.client()
        let response = await world.app.request(.get, "/fhir/AuditEvent?date=ge2020-01-01", token: department)
        #expect(response.status.code == 400)
        let outcome = try FHIRAPIApp.json(response)
        #expect(outcome["resourceType"] == "OperationOutcome")
        #expect(outcome["issue"]?[0]?["code"] == "required")
        #expect(outcome["issue"]?[0]?["expression"]?[0] == "patient")
    }

    // MARK: - Organization

    @Test(arguments: [
        ("identifier=urn:oid:1.2.208.176.1.1%7C222222222222222", ["222222222222222"]),
        ("identifier=500000000000001,111111111111111", ["500000000000001", "111111111111111"]),
        ("name=l%C3%A6gehus", ["222222222222222"]),
        ("name=SOCIALCENTER", ["500000000000001"]),
        ("identifier=123456789012345", []),
    ])
    func organisationsAreFoundBySORCodeAndName(query: String, expected: [String]) async throws {
        let world = try await World()
        let (_, token) = try await world.app.client(world.social)
        let found = try await world.search("Organization?\(query)", token)
        #expect(found.status == 200)
        #expect(found.json["total"]?.intValue == expected.count)
        #expect(Set(FHIRAPIApp.ids(found.json)) == Set(expected.map { "sor-\($0)" }))
    }
}
