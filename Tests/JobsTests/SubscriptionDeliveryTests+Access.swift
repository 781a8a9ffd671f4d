import Foundation
import Jobs
import Questionnaire
import Sharing
import Storage
import Testing

/// A push notification discloses a patient's results to the subscriber just as a read does, so
/// it answers to the same policy and the same audit (docs/access-policy.md: every read path
/// asks `AccessPolicy.decide` and writes the decision to the audit log; a patient's choice
/// "counts on the very next request"; issue 6: "Every request goes through the same access
/// policy and the same audit as the web pages").
extension SubscriptionDeliveryTests {
    @Test func aDeliveredNotificationIsInThePatientsAuditTrail() async throws {
        let receiver = try SubscriptionDeliveryReceiver()
        defer { receiver.stop() }
        _ = try await subscribe(sor: "111111111111111", kind: .generalPractitioner, colours: Set(TriageColour.allCases), fullPayload: true,
                                blocked: false, receiver: receiver, path: "/gp")
        let resourceID = try await submit(.green)
        let now = self.now
        #expect(try await SubscriptionDelivery(timeout: .seconds(5)).deliverDue(journey.database) { now }.delivered == 1)
        #expect(receiver.requests.map(\.path) == ["/gp"])
        let rows = try journey.database.read { db in
            let patient = try #require(try Patients.find(db, cpr: "2512489996"))
            return try AuditLog.forPatient(db, patient.id).filter { $0.actorKind == .apiClient && $0.organisationSOR == "111111111111111" }
        }
        #expect(rows.count == 1, "the GP system received response \(resourceID) and the patient's access log does not say so")
        #expect(rows.first?.legalBasis == LegalBasis.treatmentRelation.rawValue)
    }

    @Test func aBlockMadeBeforeTheNotificationIsSentWithholdsIt() async throws {
        let receiver = try SubscriptionDeliveryReceiver()
        defer { receiver.stop() }
        _ = try await subscribe(sor: "111111111111111", kind: .generalPractitioner, colours: Set(TriageColour.allCases), fullPayload: true,
                                blocked: false, receiver: receiver, path: "/gp")
        _ = try await submit(.green)
        let now = self.now
        try await journey.database.write { db in
            let patient = try #require(try Patients.find(db, cpr: "2512489996"))
            let gp = try #require(try Departments.find(db, sorCode: "111111111111111"))
            try SharingRecords.record(db, patientID: patient.id, organisation: gp, kind: .block, at: now.addingTimeInterval(1),
                                      channel: "test", actor: "patient")
        }
        let report = try await SubscriptionDelivery(timeout: .seconds(5)).deliverDue(journey.database) { now.addingTimeInterval(60) }
        #expect(report.delivered == 0)
        #expect(receiver.requests.isEmpty, "the answers went to a GP clinic the patient had blocked before they were sent")
    }
}
