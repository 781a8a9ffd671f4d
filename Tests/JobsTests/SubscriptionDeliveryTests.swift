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
/// see it and whose criteria match, checked again when due, and delivered signed to real
/// local HTTP receivers, endpoints in parallel.
@Suite struct SubscriptionDeliveryTests {
    let journey: Journey
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    init() async throws {
        journey = try await Journey()
    }

    /// The version the test payload builder stamps, to tell its output from the stored text.
    static let builtVersion = "built-at-delivery"

    /// A deliverer whose full payloads are the stored response with a recognisable `meta`
    /// (the server passes `FHIRPush.questionnaireResponse`, tested in WebAppTests).
    static func deliverer(timeout: Duration = .seconds(5), batchLimit: Int = 50) -> SubscriptionDelivery {
        SubscriptionDelivery(resource: { db, resourceID in
            guard let row = try db.queryOne("SELECT resource_json FROM questionnaire_responses WHERE resource_id = ?", [.text(resourceID)]),
                  var resource = try JSON.parse(Array(row.string("resource_json").utf8)).objectValue else { return nil }
            resource["meta"] = ["versionId": .string(builtVersion)]
            return .object(resource)
        }, batchLimit: batchLimit, timeout: timeout)
    }

    /// A subscriber: its API client, its secret, its receiver path.
    struct Subscriber {
        let clientID: APIClientID
        let subscriptionID: SubscriptionID
        let path: String
        let secret: String
    }

    /// Adds an organisation with a relation to the patient (nil: the patient's own
    /// department), an API client and its subscription.
    func subscribe(sor: String, kind: TreatmentRelation.Kind?, colours: Set<TriageColour> = Set(TriageColour.allCases),
                   fullPayload: Bool = false, blocked: Bool = false, endpoint: String) async throws -> Subscriber {
        let now = self.now
        let (client, created) = try await journey.database.write { db in
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
            if blocked { try Self.block(db, patient.id, organisation, at: now.addingTimeInterval(-3_600)) }
            let client = try APIClients.create(db, organisationID: organisation.id, scopes: ["system/Subscription.write"], now: now,
                                               expiresAt: nil).client
            return (client, try Subscriptions.create(db, client: client, colours: colours, endpoint: endpoint, fullPayload: fullPayload,
                                                     now: now))
        }
        return Subscriber(clientID: client.id, subscriptionID: created.id, path: URL(string: endpoint)?.path ?? "", secret: created.secret)
    }

    static func block(_ db: Connection, _ patientID: PatientID, _ organisation: Department, at: Date) throws {
        try SharingRecords.record(db, patientID: patientID, organisation: organisation, kind: .block, at: at, channel: "test", actor: "patient")
    }

    /// Submits a fresh invitation's answers that triage to `colour`; returns the resource id.
    @discardableResult
    func submit(_ colour: TriageColour = .green) async throws -> String {
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

    /// `state attempts` of every delivery of a subscription, oldest first.
    func states(_ subscriber: Subscriber) throws -> [String] {
        try journey.database.read { try Subscriptions.deliveries($0, subscriptionID: subscriber.subscriptionID) }.map { "\($0.state) \($0.attempts)" }
    }

    /// `attempt outcome` of every attempt row, in order.
    func history() throws -> [String] {
        try journey.database.read { db in
            try db.query("SELECT attempt, outcome FROM subscription_attempts ORDER BY id").map { "\(try $0.int("attempt")) \(try $0.string("outcome"))" }
        }
    }

    func deliver(_ deliverer: SubscriptionDelivery = deliverer()) async throws -> SubscriptionDelivery.Report {
        let now = self.now
        return try await deliverer.deliverDue(journey.database) { now }
    }

    // MARK: - Content, signature, criteria

    @Test func deliveriesAreSignedFilteredByTriageAndWithheldFromBlockedOrganisations() async throws {
        let receiver = try SubscriptionDeliveryReceiver()
        defer { receiver.stop() }
        let all = try await subscribe(sor: "123456789012345", kind: nil, fullPayload: true, endpoint: receiver.url("/all"))
        let urgent = try await subscribe(sor: "111111111111111", kind: .generalPractitioner, colours: [.red, .yellow],
                                         endpoint: receiver.url("/urgent"))
        _ = try await subscribe(sor: "222222222222222", kind: .municipalHealthUnit, blocked: true, endpoint: receiver.url("/blocked"))
        let green = try await submit(.green)
        let yellow = try await submit(.yellow)
        let red = try await submit(.red)

        let report = try await deliver()
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
        #expect(try await deliver().delivered == 0)
    }

    @Test func theFullPayloadIsBuiltWhenItIsSentByTheGivenBuilder() async throws {
        let receiver = try SubscriptionDeliveryReceiver()
        defer { receiver.stop() }
        _ = try await subscribe(sor: "123456789012345", kind: nil, fullPayload: true, endpoint: receiver.url("/full"))
        let id = try await submit()
        #expect(try await deliver().delivered == 1)
        let request = try #require(receiver.requests.first)
        let resource = try #require(try JSON.parse(request.body)["entry"]?[0]?["resource"])
        #expect(resource["id"]?.stringValue == id)
        #expect(resource["meta"]?["versionId"]?.stringValue == Self.builtVersion)
    }

    // MARK: - Access at delivery time and audit

    @Test func aSentNotificationIsAuditedAsTheAPIClientWithTheLegalBasis() async throws {
        let receiver = try SubscriptionDeliveryReceiver()
        defer { receiver.stop() }
        let gp = try await subscribe(sor: "111111111111111", kind: .generalPractitioner, endpoint: receiver.url("/gp"))
        let id = try await submit()
        #expect(try await deliver().delivered == 1)
        let rows = try journey.database.read { db in
            try AuditLog.forPatient(db, try #require(try Patients.find(db, cpr: "2512489996")).id)
        }.filter { $0.what == "QuestionnaireResponse/\(id) notification" }
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row.actorKind == .apiClient && row.actorID == String(gp.clientID.rawValue) && row.organisationSOR == "111111111111111")
        #expect(row.legalBasis != nil && row.outcome == "delivered")
    }

    enum Lapse: String, CaseIterable {
        case patientBlocked, relationEnded, clientRevoked, subscriptionTurnedOff
    }

    @Test(arguments: Lapse.allCases)
    func aNotificationWhoseAccessLapsedBeforeItWasDueIsNotSent(_ lapse: Lapse) async throws {
        let receiver = try SubscriptionDeliveryReceiver()
        defer { receiver.stop() }
        let gp = try await subscribe(sor: "111111111111111", kind: .generalPractitioner, endpoint: receiver.url("/gp"))
        let id = try await submit()
        let now = self.now
        try await journey.database.write { db in
            switch lapse {
            case .patientBlocked:
                let patient = try #require(try Patients.find(db, cpr: "2512489996"))
                try Self.block(db, patient.id, try #require(try Departments.find(db, sorCode: "111111111111111")), at: now)
            case .relationEnded:
                let patient = try #require(try Patients.find(db, cpr: "2512489996"))
                let organisation = try #require(try Departments.find(db, sorCode: "111111111111111"))
                try SharingRecords.endRelations(db, patientID: patient.id, organisationID: organisation.id, kind: .generalPractitioner,
                                                at: now.addingTimeInterval(-1))
            case .clientRevoked:
                _ = try APIClients.revoke(db, gp.clientID, now: now)
            case .subscriptionTurnedOff:
                #expect(try Subscriptions.turnOff(db, gp.subscriptionID, now: now) == 1)
            }
        }
        let report = try await deliver()
        #expect(report.delivered == 0)
        #expect(receiver.requests.isEmpty)
        switch lapse {
        case .subscriptionTurnedOff:
            #expect(try states(gp) == ["stopped 0"])
            #expect(try history().isEmpty)
        case .patientBlocked, .relationEnded, .clientRevoked:
            #expect(report.withdrawn == 1)
            #expect(try states(gp) == ["withdrawn 0"])
            #expect(try history() == ["1 withdrawn"])
        }
        let audited = try journey.database.read { db in
            try db.query("SELECT COUNT(*) AS n FROM audit_events WHERE what = ?", [.text("QuestionnaireResponse/\(id) notification")])[0].int("n")
        }
        #expect(audited == 0)
        #expect(try await deliver() == SubscriptionDelivery.Report())
    }

    // MARK: - Failures

    @Test func anHTTPSEndpointStoredBeforeItWasRefusedIsADeadLetterSayingWhy() async throws {
        _ = try await subscribe(sor: "123456789012345", kind: nil, endpoint: "https://example.invalid/hook")
        try await submit()
        #expect(try await deliver().dead == 1)
        let problems = try journey.database.read(Subscriptions.problems)
        #expect(problems.count == 1 && problems[0].state == "dead" && problems[0].lastError?.contains("https is not") == true)
    }

    @Test func aRefusedConnectionIsRetriedLater() async throws {
        let stopped = try SubscriptionDeliveryReceiver()
        stopped.stop()
        _ = try await subscribe(sor: "123456789012345", kind: nil, endpoint: stopped.url("/"))
        try await submit()
        #expect(try await deliver().retrying == 1)
        #expect(try await deliver().retrying == 0)
        let problems = try journey.database.read(Subscriptions.problems)
        #expect(problems.count == 1 && problems[0].state == "pending" && problems[0].attempts == 1)
        #expect(try history() == ["1 transient"])
    }

    @Test func afterATransientFailureTheRestOfThatSubscriptionWaitsAndOthersAreServed() async throws {
        let failing = try SubscriptionDeliveryReceiver(.answer(500))
        let healthy = try SubscriptionDeliveryReceiver()
        defer {
            failing.stop()
            healthy.stop()
        }
        let broken = try await subscribe(sor: "123456789012345", kind: nil, endpoint: failing.url("/failing"))
        let fine = try await subscribe(sor: "111111111111111", kind: .generalPractitioner, endpoint: healthy.url("/healthy"))
        for _ in 0..<3 { try await submit() }
        let report = try await deliver()
        #expect(report.delivered == 3 && report.retrying == 1 && report.deferred == 2)
        #expect(failing.requests.count == 1 && healthy.requests.count == 3)
        #expect(try states(broken) == ["pending 1", "pending 0", "pending 0"])
        #expect(try states(fine) == ["delivered 1", "delivered 1", "delivered 1"])
    }

    @Test func oneSubscriptionsBacklogDoesNotCrowdAnotherOutOfAPass() async throws {
        let failing = try SubscriptionDeliveryReceiver(.answer(503))
        let healthy = try SubscriptionDeliveryReceiver()
        defer {
            failing.stop()
            healthy.stop()
        }
        let backlog = try await subscribe(sor: "123456789012345", kind: nil, endpoint: failing.url("/backlog"))
        for _ in 0..<4 { try await submit() }
        let fine = try await subscribe(sor: "111111111111111", kind: .generalPractitioner, endpoint: healthy.url("/healthy"))
        for _ in 0..<2 { try await submit() }
        // The backlog's first four are older than any of the healthy subscription's; a batch
        // of four still takes both of the healthy one's.
        let report = try await deliver(Self.deliverer(batchLimit: 4))
        #expect(report.delivered == 2 && report.retrying == 1 && report.deferred == 1)
        #expect(try states(fine) == ["delivered 1", "delivered 1"])
        #expect(try states(backlog).filter { $0 != "pending 0" } == ["pending 1"])
    }

    @Test func aHangingSubscriberDoesNotHoldUpAnotherEndpoint() async throws {
        let hanging = try SubscriptionDeliveryReceiver(.holdUntilReleased)
        let healthy = try SubscriptionDeliveryReceiver()
        defer {
            hanging.stop()
            healthy.stop()
        }
        // The hanging subscriber's notifications come first: a pass that sent one at a time
        // would wait for it (until its timeout, a transient failure) before the healthy one.
        let held = try await subscribe(sor: "123456789012345", kind: nil, endpoint: hanging.url("/hanging"))
        let fine = try await subscribe(sor: "111111111111111", kind: .generalPractitioner, endpoint: healthy.url("/healthy"))
        for _ in 0..<3 { try await submit() }
        let pass = Task { try await deliver(Self.deliverer(timeout: .seconds(60))) }
        let arrived = await healthy.waitFor(3)
        // The hanging subscriber still holds its first notification: nothing failed, and the
        // healthy one already has all of its own.
        #expect(arrived && hanging.requests.count == 1)
        hanging.release()
        let report = try await pass.value
        #expect(report.delivered == 6 && report.retrying == 0)
        #expect(try states(held) == ["delivered 1", "delivered 1", "delivered 1"])
        #expect(try states(fine) == ["delivered 1", "delivered 1", "delivered 1"])
    }
}
