import Foundation
import HTTPCore
import Storage
import Testing
@testable import WebApp

/// Treatment relations follow the patient's GP and municipality (docs/access-policy.md: relations
/// are made for "the GP clinic named by the patient's GP SOR code, and the municipal health units
/// serving the patient's municipality"). When the department enrols a patient again with a new
/// GP or a new municipality, the organisation the patient left is no longer named and must lose
/// access through the API; the one now named gains it.
@Suite struct FHIRAccessAfterMoveTests {
    enum Move: String, CaseIterable, Sendable { case gp, municipality }

    static let formerGP = "200000000000001"
    static let newGP = "200000000000002"
    static let formerMunicipality = "0101"
    static let newMunicipality = "0202"

    @Test(arguments: Move.allCases)
    func theOrganisationThePatientLeftNoLongerSeesThePatient(_ move: Move) async throws {
        let app = try await FHIRAPIApp()
        let (former, new) = try await app.context.database.write { db in
            switch move {
            case .gp:
                (try Departments.insert(db, sorCode: Self.formerGP, name: "Gammel læge", phone: "2", kind: .gpClinic),
                 try Departments.insert(db, sorCode: Self.newGP, name: "Ny læge", phone: "3", kind: .gpClinic))
            case .municipality:
                (try Departments.insert(db, sorCode: "300000000000001", name: "Hjemmeplejen 0101", phone: "4", kind: .municipalHealthUnit,
                                        municipalityCode: Self.formerMunicipality),
                 try Departments.insert(db, sorCode: "300000000000002", name: "Hjemmeplejen 0202", phone: "5", kind: .municipalHealthUnit,
                                        municipalityCode: Self.newMunicipality))
            }
        }
        let nurse = try await app.staff.signIn()
        let first = ["gp": Self.formerGP, "municipality": Self.formerMunicipality]
        #expect(await nurse.post("/staff/enrol", StaffEnrolTests.fields(first)).location?.hasPrefix("/staff/patients/") == true)
        let patient = try #require(try app.context.database.read { db in try Patients.find(db, cpr: "0101701234") })
        let read = "/fhir/Patient/\(FHIRAccessMatrix.Resource.patientID(patient.id))"
        let (_, formerToken) = try await app.client(former)
        let (_, newToken) = try await app.client(new)
        #expect(await app.request(.get, read, token: formerToken).status.code == 200)
        #expect(await app.request(.get, read, token: newToken).status.code == 404)

        let moved = move == .gp ? ["gp": Self.newGP, "municipality": Self.formerMunicipality]
            : ["gp": Self.formerGP, "municipality": Self.newMunicipality]
        let again = await nurse.post("/staff/enrol", StaffEnrolTests.fields(moved.merging(["plan": "epilepsy-standard"]) { $1 }))
        #expect(again.location?.hasPrefix("/staff/patients/") == true)
        let updated = try #require(try app.context.database.read { db in try Patients.find(db, id: patient.id) })
        #expect((move == .gp ? updated.contact.gpSORCode : updated.contact.municipalityCode) == (move == .gp ? Self.newGP : Self.newMunicipality))

        #expect(await app.request(.get, read, token: newToken).status.code == 200)
        #expect(await app.request(.get, read, token: formerToken).status.code == 404, "the organisation the patient left still reads the patient")
        let search = "/fhir/Patient?identifier=urn:oid:1.2.208.176.1.2%7C0101701234"
        #expect(try FHIRAPIApp.json(await app.request(.get, search, token: formerToken))["total"]?.intValue == 0)
    }
}
