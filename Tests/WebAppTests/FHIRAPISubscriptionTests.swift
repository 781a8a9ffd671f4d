import Foundation
import HTTPCore
import JSON
import Storage
import Testing
@testable import WebApp

/// Push (issue 6) over `/fhir`: Subscription is created, read, searched and deleted (turned
/// off) within the client's organisation, with the scopes and answers the CapabilityStatement
/// advertises.
@Suite struct FHIRAPISubscriptionTests {
    static let write = ["system/Subscription.write", "system/Subscription.read"]

    static func body(criteria: String = "QuestionnaireResponse", endpoint: String = "http://127.0.0.1:9/hook",
                     payload: String? = nil) -> [UInt8] {
        var channel = JSONObject([("type", "rest-hook"), ("endpoint", .string(endpoint))])
        channel["payload"] = payload.map(JSON.string)
        let resource: JSON = ["resourceType": "Subscription", "status": "requested", "reason": "Nye svar",
                              "criteria": .string(criteria), "channel": .object(channel)]
        return Array(resource.serialized().utf8)
    }

    /// Creates a subscription with `token`; returns its id and secret.
    static func create(_ app: FHIRAPIApp, _ token: String, criteria: String = "QuestionnaireResponse",
                       payload: String? = nil) async throws -> (id: String, secret: String) {
        let response = await app.request(.post, "/fhir/Subscription", token: token, body: body(criteria: criteria, payload: payload))
        try #require(response.status.code == 201)
        let created = try FHIRAPIApp.json(response)
        return (try #require(created["id"]?.stringValue), try #require(response.headers["X-ByNeed-Subscription-Secret"]))
    }

    @Test func aCreatedSubscriptionReadsBackWithoutItsSecret() async throws {
        let app = try await FHIRAPIApp()
        let (_, token) = try await app.client(scopes: Self.write)
        let response = await app.request(.post, "/fhir/Subscription", token: token,
                                         body: Self.body(criteria: "QuestionnaireResponse?_triage=yellow,red", payload: "application/fhir+json"))
        #expect(response.status.code == 201)
        let created = try FHIRAPIApp.json(response)
        let id = try #require(created["id"]?.stringValue)
        let secret = try #require(response.headers["X-ByNeed-Subscription-Secret"])
        #expect(created["extension"]?[0]?["valueString"]?.stringValue == secret)
        #expect(response.headers["Location"]?.hasSuffix("/fhir/Subscription/\(id)/_history/1") == true)

        let read = await app.request(.get, "/fhir/Subscription/\(id)", token: token)
        #expect(read.status.code == 200)
        #expect(read.headers["ETag"] == "W/\"1\"")
        let resource = try FHIRAPIApp.json(read)
        #expect(resource["status"]?.stringValue == "active")
        #expect(resource["reason"]?.stringValue == "Nye svar")
        #expect(resource["criteria"]?.stringValue == "QuestionnaireResponse?_triage=red,yellow")
        #expect(resource["channel"]?["type"]?.stringValue == "rest-hook")
        #expect(resource["channel"]?["payload"]?.stringValue == "application/fhir+json")
        #expect(resource["meta"]?["versionId"]?.stringValue == "1" && resource["meta"]?["lastUpdated"] != nil)
        #expect(resource["extension"] == nil)
        #expect(!String(decoding: read.body, as: UTF8.self).contains(secret))
    }

    @Test func anotherOrganisationsSubscriptionIsNotFoundNotListedAndNotDeletable() async throws {
        let app = try await FHIRAPIApp()
        let (_, hospital) = try await app.client(scopes: Self.write)
        let (_, gp) = try await app.client(app.gp, scopes: Self.write)
        let (id, _) = try await Self.create(app, hospital)
        #expect(await app.request(.get, "/fhir/Subscription/\(id)", token: gp).status.code == 404)
        #expect(await app.request(.delete, "/fhir/Subscription/\(id)", token: gp).status.code == 404)
        let listed = try FHIRAPIApp.json(await app.request(.get, "/fhir/Subscription", token: gp))
        #expect(listed["total"]?.intValue == 0)
        let own = try FHIRAPIApp.json(await app.request(.get, "/fhir/Subscription", token: hospital))
        #expect(FHIRAPIApp.ids(own) == [id])
        #expect(try FHIRAPIApp.json(await app.request(.get, "/fhir/Subscription/\(id)", token: hospital))["status"]?.stringValue == "active")
    }

    @Test(arguments: [
        (["system/Subscription.write"], "GET", 403),
        (["system/Subscription.read"], "DELETE", 403),
        (["system/Subscription.read"], "POST", 403),
        (["system/QuestionnaireResponse.read"], "GET", 403),
        (["system/Subscription.read"], "GET", 200),
        (["system/Subscription.write"], "DELETE", 200),
    ])
    func readingNeedsTheReadScopeAndChangingTheWriteScope(_ scopes: [String], _ method: String, _ status: Int) async throws {
        let app = try await FHIRAPIApp()
        let (_, owner) = try await app.client(scopes: Self.write)
        let (id, _) = try await Self.create(app, owner)
        let (_, token) = try await app.client(scopes: scopes)
        let response = switch method {
        case "GET": await app.request(.get, "/fhir/Subscription/\(id)", token: token)
        case "DELETE": await app.request(.delete, "/fhir/Subscription/\(id)", token: token)
        default: await app.request(.post, "/fhir/Subscription", token: token, body: Self.body())
        }
        #expect(response.status.code == status)
    }

    @Test(arguments: [
        ("", ["2", "1"]),
        ("?status=active", ["2"]),
        ("?status=off", ["1"]),
        ("?status=off,active", ["2", "1"]),
        ("?_id=2", ["2"]),
        ("?_count=1", ["2"]),
    ])
    func searchFiltersByIdAndStatus(_ query: String, _ expected: [String]) async throws {
        let app = try await FHIRAPIApp()
        let (_, token) = try await app.client(scopes: Self.write)
        let (first, _) = try await Self.create(app, token)
        _ = try await Self.create(app, token)
        #expect(await app.request(.delete, "/fhir/Subscription/\(first)", token: token).status.code == 200)
        let bundle = try FHIRAPIApp.json(await app.request(.get, "/fhir/Subscription\(query)", token: token))
        #expect(FHIRAPIApp.ids(bundle) == expected)
        #expect(bundle["total"]?.intValue == (query == "?_count=1" ? 2 : expected.count))
    }

    @Test func anUnknownStatusIsRefused() async throws {
        let app = try await FHIRAPIApp()
        let (_, token) = try await app.client(scopes: Self.write)
        #expect(await app.request(.get, "/fhir/Subscription?status=paused", token: token).status.code == 400)
    }

    @Test func deleteTurnsItOffStopsPendingNotificationsAndIsIdempotent() async throws {
        let app = try await FHIRAPIApp()
        let (patient, enrolment) = try await app.enrolWithGP("Anna Andersen", cpr: "0101701234")
        let (client, token) = try await app.client(scopes: Self.write)
        let (id, _) = try await Self.create(app, token)
        try await app.staff.answerRound(patient, enrolment)
        let subscriptionID = SubscriptionID(rawValue: try #require(Int64(id)))
        let queued = try app.context.database.read { try Subscriptions.deliveries($0, subscriptionID: subscriptionID) }
        #expect(!queued.isEmpty && queued.allSatisfy { $0.state == "pending" })

        let deleted = await app.request(.delete, "/fhir/Subscription/\(id)", token: token)
        #expect(deleted.status.code == 200)
        let outcome = try FHIRAPIApp.json(deleted)
        #expect(outcome["resourceType"]?.stringValue == "OperationOutcome")
        #expect(outcome["issue"]?[0]?["severity"]?.stringValue == "information")
        #expect(outcome["issue"]?[0]?["diagnostics"]?.stringValue?.contains("\(queued.count) pending notifications were stopped") == true)

        let after = try app.context.database.read { try Subscriptions.deliveries($0, subscriptionID: subscriptionID) }
        #expect(after.count == queued.count && after.allSatisfy { $0.state == "stopped" })
        let read = await app.request(.get, "/fhir/Subscription/\(id)", token: token)
        #expect(try FHIRAPIApp.json(read)["status"]?.stringValue == "off")
        #expect(read.headers["ETag"] == "W/\"2\"")
        let audited = try app.context.database.read { db in
            try db.query("SELECT actor_id, outcome FROM audit_events WHERE what = ?", [.text("Subscription/\(id)")])
                .map { "\(try $0.string("actor_id")) \(try $0.string("outcome"))" }
        }
        #expect(audited == ["\(client.id.rawValue) created", "\(client.id.rawValue) turned off"])

        // Deleting again changes nothing (FHIR R4 http.html: no effect, 200).
        let again = await app.request(.delete, "/fhir/Subscription/\(id)", token: token)
        #expect(again.status.code == 200)
        #expect(try FHIRAPIApp.json(again)["issue"]?[0]?["diagnostics"]?.stringValue?.contains("already off") == true)
        // A response stored now queues nothing for it.
        try await app.staff.answerRound(patient, enrolment)
        #expect(try app.context.database.read { try Subscriptions.deliveries($0, subscriptionID: subscriptionID) }.count == queued.count)
    }

    @Test(arguments: [("DELETE", "/fhir/QuestionnaireResponse/x", 405), ("DELETE", "/fhir/Patient/x", 405),
                      ("DELETE", "/fhir/Medication/x", 404), ("DELETE", "/fhir/Subscription/999", 404),
                      ("DELETE", "/fhir/Subscription/not-a-number", 404), ("GET", "/fhir/Subscription/999", 404)])
    func onlySubscriptionsCanBeDeleted(_ method: String, _ path: String, _ status: Int) async throws {
        let app = try await FHIRAPIApp()
        let (_, token) = try await app.client(scopes: ["system/*.*"])
        let response = await app.request(HTTPMethod(rawValue: method), path, token: token)
        #expect(response.status.code == status)
        #expect(try FHIRAPIApp.json(response)["resourceType"]?.stringValue == "OperationOutcome")
    }

    @Test func anHTTPSEndpointIsRefusedWithTheRelayToUseInstead() async throws {
        let app = try await FHIRAPIApp()
        let (_, token) = try await app.client(scopes: Self.write)
        let response = await app.request(.post, "/fhir/Subscription", token: token, body: Self.body(endpoint: "https://system.example/hook"))
        #expect(response.status.code == 422)
        let issue = try #require(try FHIRAPIApp.json(response)["issue"]?[0])
        #expect(issue["expression"]?[0]?.stringValue == "Subscription.channel.endpoint")
        let diagnostics = try #require(issue["diagnostics"]?.stringValue)
        #expect(diagnostics.contains("TLS") && diagnostics.contains("stunnel") && diagnostics.contains("http://127.0.0.1"))
        let stored = try app.context.database.read { db in try db.query("SELECT id FROM subscriptions").count }
        #expect(stored == 0)
    }

    @Test(arguments: [
        ("{\"resourceType\":\"Patient\"}", 400),
        ("{\"resourceType\":\"Subscription\",\"channel\":{\"type\":\"rest-hook\",\"endpoint\":\"http://h/\"}}", 400),
        ("{\"resourceType\":\"Subscription\",\"criteria\":\"Observation\",\"channel\":{\"type\":\"rest-hook\",\"endpoint\":\"http://h/\"}}", 400),
        ("{\"resourceType\":\"Subscription\",\"criteria\":\"QuestionnaireResponse?_triage=\",\"channel\":{\"type\":\"rest-hook\",\"endpoint\":\"http://h/\"}}", 400),
        ("{\"resourceType\":\"Subscription\",\"criteria\":\"QuestionnaireResponse\",\"channel\":{\"type\":\"email\",\"endpoint\":\"http://h/\"}}", 400),
        ("{\"resourceType\":\"Subscription\",\"criteria\":\"QuestionnaireResponse\",\"channel\":{\"type\":\"rest-hook\",\"endpoint\":\"ftp://h/\"}}", 400),
        ("{\"resourceType\":\"Subscription\",\"criteria\":\"QuestionnaireResponse\",\"channel\":{\"type\":\"rest-hook\",\"endpoint\":\"https://h/\"}}", 422),
        ("{\"resourceType\":\"Subscription\",\"criteria\":\"QuestionnaireResponse\",\"channel\":{\"type\":\"rest-hook\",\"endpoint\":\"http://h/\",\"payload\":\"text/plain\"}}", 400),
    ])
    func aSubscriptionThatCannotBeHonouredIsRefused(_ body: String, _ status: Int) {
        do {
            _ = try FHIRAPI.parseSubscription(Array(body.utf8))
            Issue.record("accepted: \(body)")
        } catch {
            #expect(error.httpStatus == status)
        }
    }

    @Test func theCapabilityStatementAdvertisesSubscriptionWithItsCriteriaAndSignature() async throws {
        let app = try await FHIRAPIApp()
        let statement = try FHIRAPIApp.json(await app.request(.get, "/fhir/metadata", token: nil))
        let entry = try #require(statement["rest"]?[0]?["resource"]?.arrayValue?.first { $0["type"]?.stringValue == "Subscription" })
        #expect(entry["interaction"]?.arrayValue?.compactMap { $0["code"]?.stringValue } == ["create", "read", "vread", "search-type", "delete"])
        #expect(entry["searchParam"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["_id", "status"])
        let documentation = try #require(entry["documentation"]?.stringValue)
        for phrase in ["QuestionnaireResponse?_triage=red,yellow", "rest-hook", "application/fhir+json", "X-ByNeed-Signature", "X-ByNeed-Delivery"] {
            #expect(documentation.contains(phrase), "\(phrase)")
        }
    }

    @Test func theFullPayloadIsWhatAReadOfTheResponseReturns() async throws {
        let app = try await FHIRAPIApp()
        let (patient, enrolment) = try await app.enrolWithGP("Anna Andersen", cpr: "0101701234")
        let responseID = try #require(try await app.staff.answerRound(patient, enrolment).first)
        let resourceID = try #require(try app.context.database.read { db in try Responses.find(db, id: responseID) }?.resourceID)
        let (_, token) = try await app.client()
        let read = try FHIRAPIApp.json(await app.request(.get, "/fhir/QuestionnaireResponse/\(resourceID)", token: token))
        let payload = try app.context.database.read { db in try FHIRPush.questionnaireResponse(db, resourceID: resourceID) }
        #expect(payload == read)
        #expect(payload?["meta"]?["versionId"]?.stringValue == "1")
        #expect(try app.context.database.read { db in try FHIRPush.questionnaireResponse(db, resourceID: "no-such-id") } == nil)
    }
}
