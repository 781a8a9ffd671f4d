import Delivery
import Foundation
import JSON
import Jobs
import Questionnaire
import Sharing
import SQLite
import Storage
import Testing

/// Push (issue 6): notifications are queued with the response for the subscribers that may
/// see it and whose criteria match, and delivered signed to a real local HTTP receiver.
@Suite struct SubscriptionDeliveryTests {
    let journey: Journey
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    init() async throws {
        journey = try await Journey()
    }

    /// A subscriber: its API client's organisation, its secret, its receiver path.
    struct Subscriber {
        let path: String
        let secret: String
    }

    /// Adds an organisation with a relation to the patient, an API client and its subscription.
    func subscribe(sor: String, kind: TreatmentRelation.Kind?, colours: Set<TriageColour>, fullPayload: Bool, blocked: Bool,
                   receiver: SubscriptionDeliveryReceiver, path: String) async throws -> Subscriber {
        let now = self.now
        let secret = try await journey.database.write { db -> String in
            let patient = try #require(try Patients.find(db, cpr: "2512489996"))
            let organisation: Department
            if let kind {
                organisation = try Departments.insert(db, sorCode: sor, name: sor, phone: "70 00 00 00",
                                                      kind: kind == .municipalHealthUnit ? .municipalHealthUnit : .gpClinic,
                                                      municipalityCode: kind == .municipalHealthUnit ? "0101" : nil)
                try SharingRecords.relate(db, patientID: patient.id, organisation: organisation, kind: kind, from: now.addingTimeInterval(-86_400),
                                          by: "test")
            } else {
                organisation = try #require(try Departments.find(db, sorCode: sor))
            }
            if blocked {
                try SharingRecords.record(db, patientID: patient.id, organisation: organisation, kind: .block, at: now.addingTimeInterval(-3_600),
                                          channel: "test", actor: "patient")
            }
            let client = try APIClients.create(db, organisationID: organisation.id, scopes: ["system/Subscription.write"], now: now,
                                               expiresAt: nil).client
            return try Subscriptions.create(db, client: client, colours: colours, endpoint: receiver.url(path), fullPayload: fullPayload,
                                            now: now).secret
        }
        return Subscriber(path: path, secret: secret)
    }

    /// Submits a fresh invitation's answers that triage to `colour`; returns the resource id.
    func submit(_ colour: TriageColour) async throws -> String {
        let caseName = ["green": "no seizures, no problems", "yellow": "more seizures", "red": "new seizure type"][colour.rawValue]!
        let fixture = try Journey.fixtures.get()
        let answers = try #require(fixture["cases"]?.arrayValue?.first { $0["name"]?.stringValue == caseName }?["answers"]?.objectValue)
        let definition = try #require(try Journey.catalogue.get().latest(url: "http://byneed.dk/fhir/Questionnaire/epilepsy-followup"))
        let given = try definition.answers(fromResponse: Journey.response(answers, definition))
        let resourceID = UUID().uuidString.lowercased()
        let now = self.now
        try await journey.database.write { db in
            let patient = try #require(try Patients.find(db, cpr: "2512489996"))
            let invitation = try Invitations.create(db, patientID: patient.id, questionnaireURL: definition.url,
                                                    questionnaireVersion: definition.version, now: now, validFor: .seconds(60)).invitation
            _ = try Responses.submit(db, invitation: invitation, patient: patient, definition: definition, answers: given,
                                     resourceID: resourceID, now: now)
        }
        return resourceID
    }

    @Test func deliveriesAreSignedFilteredByTriageAndWithheldFromBlockedOrganisations() async throws {
        let receiver = try SubscriptionDeliveryReceiver()
        defer { receiver.stop() }
        let all = try await subscribe(sor: "123456789012345", kind: nil, colours: Set(TriageColour.allCases), fullPayload: true,
                                      blocked: false, receiver: receiver, path: "/all")
        let urgent = try await subscribe(sor: "111111111111111", kind: .generalPractitioner, colours: [.red, .yellow], fullPayload: false,
                                         blocked: false, receiver: receiver, path: "/urgent")
        _ = try await subscribe(sor: "222222222222222", kind: .municipalHealthUnit, colours: Set(TriageColour.allCases), fullPayload: true,
                                blocked: true, receiver: receiver, path: "/blocked")
        let green = try await submit(.green)
        let yellow = try await submit(.yellow)
        let red = try await submit(.red)

        let now = self.now
        let report = try await SubscriptionDelivery(timeout: .seconds(5)).deliverDue(journey.database) { now }
        #expect(report.delivered == 5 && report.dead == 0)

        let received = receiver.requests
        #expect(!received.contains { $0.path == "/blocked" })
        let secrets = [all.path: all.secret, urgent.path: urgent.secret]
        for request in received {
            let secret = try #require(secrets[request.path])
            #expect(request.headers["x-byneed-signature"] == SubscriptionDelivery.signature(body: request.body, secret: Array(secret.utf8)))
            #expect(request.headers["x-byneed-delivery"].flatMap { Int($0) } != nil)
        }
        func entries(_ path: String) throws -> [JSON] {
            try received.filter { $0.path == path }.map { try #require(try JSON.parse($0.body)["entry"]?[0]) }
        }
        let full = try entries("/all")
        #expect(full.compactMap { $0["fullUrl"]?.stringValue } == [green, yellow, red].map { "QuestionnaireResponse/\($0)" })
        #expect(full.allSatisfy { $0["resource"]?["resourceType"]?.stringValue == "QuestionnaireResponse" })
        let idOnly = try entries("/urgent")
        #expect(idOnly.compactMap { $0["fullUrl"]?.stringValue } == [yellow, red].map { "QuestionnaireResponse/\($0)" })
        #expect(idOnly.allSatisfy { $0["resource"] == nil })
        // Delivered ones are not sent again.
        #expect(try await SubscriptionDelivery().deliverDue(journey.database) { now }.delivered == 0)
    }

    @Test func anHTTPSEndpointIsADeadLetterSayingWhy() async throws {
        let now = self.now
        try await journey.database.write { db in
            let department = try #require(try Departments.find(db, sorCode: "123456789012345"))
            let client = try APIClients.create(db, organisationID: department.id, scopes: [], now: now, expiresAt: nil).client
            _ = try Subscriptions.create(db, client: client, colours: [.green], endpoint: "https://example.invalid/hook", fullPayload: false,
                                         now: now)
        }
        _ = try await submit(.green)
        let report = try await SubscriptionDelivery().deliverDue(journey.database) { now }
        #expect(report.dead == 1)
        let problems = try journey.database.read(Subscriptions.problems)
        #expect(problems.count == 1 && problems[0].state == "dead" && problems[0].lastError?.contains("https is not") == true)
    }

    @Test func aRefusedConnectionIsRetriedLater() async throws {
        let now = self.now
        let stopped = try SubscriptionDeliveryReceiver()
        stopped.stop()
        let closedPort = stopped.port
        try await journey.database.write { db in
            let department = try #require(try Departments.find(db, sorCode: "123456789012345"))
            let client = try APIClients.create(db, organisationID: department.id, scopes: [], now: now, expiresAt: nil).client
            _ = try Subscriptions.create(db, client: client, colours: [.green], endpoint: "http://127.0.0.1:\(closedPort)/", fullPayload: false,
                                         now: now)
        }
        _ = try await submit(.green)
        let report = try await SubscriptionDelivery().deliverDue(journey.database) { now }
        #expect(report.retrying == 1)
        #expect(try await SubscriptionDelivery().deliverDue(journey.database) { now }.retrying == 0)
        let problems = try journey.database.read(Subscriptions.problems)
        #expect(problems.count == 1 && problems[0].state == "pending" && problems[0].attempts == 1)
        let history = try journey.database.read { db in
            try db.query("SELECT attempt, outcome FROM subscription_attempts").map { "\(try $0.int("attempt")) \(try $0.string("outcome"))" }
        }
        #expect(history == ["1 transient"])
    }

    @Test func aHungSubscriberTimesOutAndDoesNotKeepOthersWaiting() async throws {
        let hung = try SubscriptionDeliveryReceiver(answering: false)
        let healthy = try SubscriptionDeliveryReceiver()
        defer {
            hung.stop()
            healthy.stop()
        }
        _ = try await subscribe(sor: "123456789012345", kind: nil, colours: Set(TriageColour.allCases), fullPayload: false,
                                blocked: false, receiver: hung, path: "/hung")
        _ = try await subscribe(sor: "111111111111111", kind: .generalPractitioner, colours: Set(TriageColour.allCases), fullPayload: false,
                                blocked: false, receiver: healthy, path: "/healthy")
        _ = try await submit(.green)
        let now = self.now
        let report = try await SubscriptionDelivery(timeout: .seconds(1)).deliverDue(journey.database) { now }
        #expect(report.delivered == 1 && report.retrying == 1)
        #expect(healthy.requests.map(\.path) == ["/healthy"])
        let problems = try journey.database.read(Subscriptions.problems)
        #expect(problems.count == 1 && problems[0].lastError?.contains("timed out") == true)
    }
}
