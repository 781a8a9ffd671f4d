import FollowUp
import Foundation
import Sharing
import SQLite
import Storage
import Testing

/// Treatment relations made by enrolment, and the patient's blocks and consents replayed into
/// the access policy's state.
@Suite struct SharingRecordsTests {
    let database: Database
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    init() throws {
        database = try Database(directory: FileManager.default.temporaryDirectory.appendingPathComponent("byneed-sharing-\(UUID().uuidString)").path)
    }

    func setUp() async throws -> (patient: PatientID, hospital: Department, gp: Department, home: Department, social: Department) {
        let start = self.start
        return try await database.write { db in
            let hospital = try Departments.insert(db, sorCode: "100", name: "Neurologi", phone: "1")
            let gp = try Departments.insert(db, sorCode: "200", name: "Lægehuset", phone: "2", kind: .gpClinic)
            let home = try Departments.insert(db, sorCode: "300", name: "Hjemmesygeplejen", phone: "3", kind: .municipalHealthUnit,
                                              municipalityCode: "0101")
            _ = try Departments.insert(db, sorCode: "301", name: "Anden kommune", phone: "3", kind: .municipalHealthUnit,
                                       municipalityCode: "0147")
            let social = try Departments.insert(db, sorCode: "400", name: "Socialcenter", phone: "4", kind: .municipalSocialServicesUnit,
                                                municipalityCode: "0101")
            let patient = try Patients.insert(db, cpr: "0101701234", name: "P", language: "da", departmentID: hospital.id,
                                              contact: PatientContact(email: "p@example.dk", gpSORCode: "200", municipalityCode: "0101"))
            _ = try Enrolments.enrol(db, patientID: patient.id, departmentID: hospital.id, planID: "plan", planVersion: "1",
                                     startDate: CalendarDay(year: 2027, month: 1, day: 4)!, actor: "test", now: start)
            return (patient.id, hospital, gp, home, social)
        }
    }

    @Test func enrolmentRelatesTheDepartmentTheGPAndTheMunicipalHealthUnitOfThePatientsMunicipality() async throws {
        let (patient, _, _, _, _) = try await setUp()
        let state = try database.read { try SharingRecords.state($0, patient) }
        #expect(Set(state.relations.map { "\($0.organisation.value):\($0.kind.rawValue)" })
                == ["100:responsibleDepartment", "200:generalPractitioner", "300:municipalHealthUnit"])
        #expect(state.relations.allSatisfy { $0.isActive(at: start) })
    }

    @Test func endingTheLastEnrolmentEndsTheDepartmentsRelation() async throws {
        let (patient, _, _, _, _) = try await setUp()
        let ended = start.addingTimeInterval(3_600)
        try await database.write { db in
            let enrolment = try Enrolments.forPatient(db, patient).first!
            try Enrolments.change(db, enrolment.id, .end, actor: "test", now: ended)
        }
        let state = try database.read { try SharingRecords.state($0, patient) }
        let department = try #require(state.relations.first { $0.kind == .responsibleDepartment })
        #expect(!department.isActive(at: ended) && department.isActive(at: start))
        #expect(state.relations.filter { $0.kind != .responsibleDepartment }.allSatisfy { $0.isActive(at: ended) })
    }

    @Test func aNewGPOrMunicipalityAtTheNextEnrolmentEndsTheFormerOnesRelations() async throws {
        let (patient, hospital, _, _, _) = try await setUp()
        let moved = start.addingTimeInterval(86_400)
        try await database.write { db in
            _ = try Departments.insert(db, sorCode: "201", name: "Ny læge", phone: "2", kind: .gpClinic)
            try Patients.update(db, patient, name: "P", language: "da",
                                contact: PatientContact(email: "p@example.dk", gpSORCode: "201", municipalityCode: "0147"))
            _ = try Enrolments.enrol(db, patientID: patient, departmentID: hospital.id, planID: "other-plan", planVersion: "1",
                                     startDate: CalendarDay(year: 2027, month: 1, day: 5)!, actor: "test", now: moved)
        }
        let state = try database.read { try SharingRecords.state($0, patient) }
        let active = Set(state.relations.filter { $0.isActive(at: moved) }.map { "\($0.organisation.value):\($0.kind.rawValue)" })
        #expect(active == ["100:responsibleDepartment", "201:generalPractitioner", "301:municipalHealthUnit"])
        #expect(state.relations.filter { ["200", "300"].contains($0.organisation.value) }.allSatisfy { $0.isActive(at: start) && $0.end == moved })
    }

    @Test func theStatesReachableFromAnOrganisationAreEachPatientsOwnState() async throws {
        let (patient, hospital, gp, _, social) = try await setUp()
        let start = self.start
        let (consenting, stranger) = try await database.write { db in
            let consenting = try Patients.insert(db, cpr: "0202702345", name: "Q", language: "da", departmentID: hospital.id,
                                                 contact: PatientContact(email: "q@example.dk"))
            let stranger = try Patients.insert(db, cpr: "0303703456", name: "R", language: "da", departmentID: hospital.id,
                                               contact: PatientContact(email: "r@example.dk"))
            try SharingRecords.record(db, patientID: patient, organisation: gp, kind: .block, at: start, channel: "test", actor: "patient")
            try SharingRecords.record(db, patientID: consenting.id, organisation: social, kind: .consent, at: start, channel: "test", actor: "patient")
            try SharingRecords.record(db, patientID: consenting.id, organisation: gp, kind: .block, at: start, channel: "test", actor: "patient")
            return (consenting.id, stranger.id)
        }
        try database.read { db in
            let fromGP = try SharingRecords.statesReachable(from: gp.id, db)
            #expect(Set(fromGP.keys) == [patient])
            #expect(fromGP[patient] == (try SharingRecords.state(db, patient)))
            let fromSocial = try SharingRecords.statesReachable(from: social.id, db)
            #expect(Set(fromSocial.keys) == [consenting])
            #expect(fromSocial[consenting] == (try SharingRecords.state(db, consenting)))
            #expect(try SharingRecords.statesReachable(from: hospital.id, db).keys.contains(stranger) == false)
        }
    }

    @Test func blocksAndConsentsReplayInOrder() async throws {
        let (patient, _, gp, _, social) = try await setUp()
        let start = self.start
        let hour: TimeInterval = 3_600
        try await database.write { db in
            try SharingRecords.record(db, patientID: patient, organisation: gp, kind: .block, at: start + hour, channel: "patient", actor: "p")
            try SharingRecords.record(db, patientID: patient, organisation: gp, kind: .unblock, at: start + 2 * hour, channel: "patient", actor: "p")
            try SharingRecords.record(db, patientID: patient, organisation: social, kind: .consent, at: start + hour,
                                      expiresAt: start + 10 * 365 * 86_400, channel: "patient", actor: "p")
        }
        let state = try database.read { try SharingRecords.state($0, patient) }
        #expect(!state.isBlocked(SORCode("200"), at: start))
        #expect(state.isBlocked(SORCode("200"), at: start + 1.5 * hour))
        #expect(!state.isBlocked(SORCode("200"), at: start + 3 * hour))
        #expect(state.hasConsent(for: SORCode("400"), at: start + 2 * hour))
        #expect(!state.hasConsent(for: SORCode("400"), at: start + hour + 366 * 86_400), "a consent lasts at most a year")

        try await database.write { db in
            try SharingRecords.record(db, patientID: patient, organisation: social, kind: .withdrawConsent, at: start + 5 * hour,
                                      channel: "patient", actor: "p")
        }
        let withdrawn = try database.read { try SharingRecords.state($0, patient) }
        #expect(withdrawn.hasConsent(for: SORCode("400"), at: start + 4 * hour))
        #expect(!withdrawn.hasConsent(for: SORCode("400"), at: start + 6 * hour))
        #expect(try database.read { try SharingRecords.choices($0, patient) }.map(\.kind) == [.block, .unblock, .consent, .withdrawConsent])
    }
}
