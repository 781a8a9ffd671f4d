import FollowUp
import Foundation
import Questionnaire
import SQLite
import Storage
import Testing

/// What the population overview and the lists read: only the department's own rows, the first
/// decision on each finding, and decisions without their corrected versions.
@Suite struct PopulationQueryTests {
    /// Two departments, a patient in each with a contact request, and a nurse in the first.
    static func setUp(_ db: Connection) throws -> (Department, Department, Patient, Patient, StaffAccount) {
        let ours = try Departments.insert(db, sorCode: "222222222222222", name: "Lunge", phone: "1")
        let other = try Departments.insert(db, sorCode: "333333333333333", name: "Anden", phone: "2")
        let patient = try Patients.insert(db, cpr: "0101701111", name: "Anna", language: "da", departmentID: ours.id, contact: PatientContact())
        let stranger = try Patients.insert(db, cpr: "0101702222", name: "Bo", language: "da", departmentID: other.id, contact: PatientContact())
        let nurse = try StaffAccounts.create(db, username: "karen", displayName: "Karen", departmentID: ours.id, role: "health-professional",
                                             passwordHash: "x", now: start)
        return (ours, other, patient, stranger, nurse)
    }

    @Test func findingsCarryTheFirstDecisionAndCorrectedDecisionsAreLeftOut() async throws {
        let (database, _) = try makeDatabase()
        defer { database.close() }
        let (facts, decisions) = try await database.write { db in
            let (ours, _, patient, stranger, nurse) = try Self.setUp(db)
            let request = try ContactRequests.create(db, patientID: patient.id, message: nil, now: start)
            _ = try ContactRequests.create(db, patientID: stranger.id, message: nil, now: start)
            let first = try Decisions.record(db, patientID: patient.id, subject: .contactRequest(request.id), kind: .phoneCall,
                                             visitDate: nil, nextDueDate: nil, note: nil, decidedBy: nurse.id, corrects: nil,
                                             now: start.addingTimeInterval(3600))
            let correction = try Decisions.record(db, patientID: patient.id, subject: .contactRequest(request.id), kind: .noAction,
                                                  visitDate: nil, nextDueDate: nil, note: nil, decidedBy: nurse.id, corrects: first.id,
                                                  now: start.addingTimeInterval(7200))
            return (try PopulationQuery.facts(db, departmentID: ours.id), [first.id, correction.id])
        }
        #expect(facts.findings.count == 1)
        #expect(facts.findings[0].colour == nil)
        #expect(facts.findings[0].decidedAt == start.addingTimeInterval(3600))
        #expect(facts.decisions.map(\.id) == [decisions[1]])
        #expect(facts.patients.values.map(\.name) == ["Anna"])
    }

    @Test func savedListsBelongToTheirDepartment() async throws {
        let (database, _) = try makeDatabase()
        defer { database.close() }
        let (saved, ours, other) = try await database.write { db in
            let (ours, other, _, _, nurse) = try Self.setUp(db)
            let saved = try SavedLists.save(db, departmentID: ours.id, name: "Tavse", filterJSON: "{\"silent\":30}", createdBy: nurse.id,
                                            now: start)
            return (saved, ours.id, other.id)
        }
        #expect(saved.name == "Tavse")
        #expect(saved.filterJSON == "{\"silent\":30}")
        #expect(saved.createdAt == start)
        let found = try database.read { db in
            (try SavedLists.find(db, id: saved.id, departmentID: ours), try SavedLists.find(db, id: saved.id, departmentID: other),
             try SavedLists.all(db, departmentID: ours), try SavedLists.all(db, departmentID: other))
        }
        #expect(found.0 == saved)
        #expect(found.1 == nil)
        #expect(found.2 == [saved])
        #expect(found.3.isEmpty)
    }
}
