import Foundation
import HTTPCore
import Questionnaire
import Security
import Storage
import Testing
@testable import WebApp

/// The administrators' push page: every organisation's subscriptions with their delivery
/// counts, the notifications that were not delivered, and each subscription's history; no
/// patient on it, and nobody but administrators reaches it.
@Suite struct StaffPushTests {
    /// A department subscription with one delivered and one dead notification, and an
    /// administrator's account.
    static func setUp() async throws -> (StaffApp, subscription: SubscriptionID, patient: Patient) {
        let app = try await StaffApp()
        let now = app.clock.now
        let department = app.department
        let hash = PasswordHash(password: StaffApp.password, iterations: 1_000).encoded
        let subscription = try await app.context.database.write { db in
            _ = try StaffAccounts.create(db, username: "admin", displayName: "Ada Admin", departmentID: department.id, role: "administrator",
                                         passwordHash: hash, now: now)
            let (client, _) = try APIClients.create(db, organisationID: department.id, scopes: ["system/Subscription.write"], now: now, expiresAt: nil)
            return try Subscriptions.create(db, client: client, colours: [.red, .yellow, .green], endpoint: "http://receiver.example/hook",
                                            fullPayload: false, now: now).id
        }
        let (patient, enrolment) = try await app.enrol("Anna Andersen", cpr: "0101701234")
        try await app.answerRound(patient, enrolment)
        try await app.context.database.write { db in
            let queued = try Subscriptions.deliveries(db, subscriptionID: subscription)
            try #require(queued.count == 2)
            let disclosure = AuditEntry(at: now, actorKind: .apiClient, actorID: "1", patientID: patient.id, action: .read,
                                        what: "notification", outcome: "sent")
            try Subscriptions.record(db, queued[0].id, outcome: .delivered, disclosure: disclosure, now: now)
            try Subscriptions.record(db, queued[1].id, outcome: .permanent(detail: "HTTP 404 from the receiver"), disclosure: disclosure, now: now)
        }
        return (app, subscription, patient)
    }

    @Test func anAdministratorSeesSubscriptionsFailuresAndHistoryButNoPatient() async throws {
        let (app, subscription, patient) = try await Self.setUp()
        let admin = try await app.signIn("admin")
        let page = await admin.get("/staff/push")
        #expect(page.status == .ok)
        #expect(page.text.contains("http://receiver.example/hook"))
        #expect(page.text.contains("HTTP 404 from the receiver"))
        #expect(page.text.contains("href=\"/staff/push/\(subscription.rawValue)\""))
        #expect(!page.text.contains(patient.name) && !page.text.contains(patient.cpr))
        let history = await admin.get("/staff/push/\(subscription.rawValue)")
        #expect(history.status == .ok)
        #expect(history.text.contains("delivered") && history.text.contains("permanent"))
        #expect(!history.text.contains(patient.name) && !history.text.contains(patient.cpr))
        #expect(await admin.get("/staff/push/999").status == .notFound)
    }

    @Test func aHealthProfessionalGetsNotFound() async throws {
        let (app, subscription, _) = try await Self.setUp()
        let nurse = try await app.signIn()
        #expect(await nurse.get("/staff/push").status == .notFound)
        #expect(await nurse.get("/staff/push/\(subscription.rawValue)").status == .notFound)
        #expect(!(await nurse.get("/staff/worklist").text.contains("/staff/push")), "no link to it either")
    }
}
