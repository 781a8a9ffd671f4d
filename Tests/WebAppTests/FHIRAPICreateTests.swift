import FHIR
import Foundation
import HTTPCore
import JSON
import Storage
import Testing
@testable import WebApp

/// Answers sent by another system: what the sender said is kept, and a resend with
/// `If-None-Exist` stores nothing twice.
@Suite struct FHIRAPICreateTests {
    static let system = "urn:oid:1.2.208.176.1.99.1"

    /// A department client with write access, and a stored response's JSON to send as new
    /// answers with `authored` and `identifier` replaced.
    static func setUp() async throws -> (FHIRAPIApp, token: String, body: (String?, String?) -> [UInt8]) {
        let app = try await FHIRAPIApp()
        let (patient, enrolment) = try await app.enrolWithGP("Anna Andersen", cpr: "0101701234")
        let responseID = try #require(try await app.staff.answerRound(patient, enrolment).first)
        let original = try #require(try app.context.database.read { db in try Responses.find(db, id: responseID) })
        let (_, token) = try await app.client(scopes: ["system/QuestionnaireResponse.*"])
        let resource = try JSON.parse(original.resourceJSON)
        return (app, token, { authored, identifier in
            var object = resource.objectValue ?? JSONObject()
            object["authored"] = authored.map(JSON.string)
            object["identifier"] = identifier.map { ["system": .string(system), "value": .string($0)] }
            return JSON.object(object).serializedBytes()
        })
    }

    static func count(_ app: FHIRAPIApp) throws -> Int {
        try app.context.database.read { db in try Responses.count(db) }
    }

    @Test func theSendersAuthoredAndIdentifierAreKeptAndItsOrganisationIsTheAuthor() async throws {
        let (app, token, body) = try await Self.setUp()
        let created = await app.request(.post, "/fhir/QuestionnaireResponse", token: token, body: body("2026-01-15T09:30:00+01:00", "a-1"))
        #expect(created.status.code == 201)
        let resource = try FHIRAPIApp.json(created)
        #expect(resource["authored"]?.stringValue == "2026-01-15T08:30:00Z")
        #expect(resource["identifier"]?["value"]?.stringValue == "a-1")
        #expect(resource["author"]?["reference"]?.stringValue == "Organization/sor-\(app.staff.department.sorCode)")
        let found = try FHIRAPIApp.json(await app.request(.get, "/fhir/QuestionnaireResponse?identifier=\(Self.system)%7Ca-1", token: token))
        #expect(FHIRAPIApp.ids(found) == [resource["id"]?.stringValue ?? ""])
        let byValue = try FHIRAPIApp.json(await app.request(.get, "/fhir/QuestionnaireResponse?identifier=a-1", token: token))
        #expect(byValue["total"]?.intValue == 1)
        let otherSystem = try FHIRAPIApp.json(await app.request(.get, "/fhir/QuestionnaireResponse?identifier=urn:x%7Ca-1", token: token))
        #expect(otherSystem["total"]?.intValue == 0)
    }

    @Test func answersFromTheFutureAreRefusedAndNothingIsStored() async throws {
        let (app, token, body) = try await Self.setUp()
        let before = try Self.count(app)
        let refused = await app.request(.post, "/fhir/QuestionnaireResponse", token: token, body: body("2999-01-01T00:00:00Z", nil))
        #expect(refused.status.code == 422)
        #expect(try FHIRAPIApp.json(refused)["issue"]?[0]?["expression"]?[0]?.stringValue == "QuestionnaireResponse.authored")
        #expect(try Self.count(app) == before)
    }

    @Test func aResendWithIfNoneExistStoresNothingAndAnswersTheFirst() async throws {
        let (app, token, body) = try await Self.setUp()
        let before = try Self.count(app)
        let condition = [("If-None-Exist", "identifier=\(Self.system)|a-2")]
        let first = await app.request(.post, "/fhir/QuestionnaireResponse", token: token, body: body(nil, "a-2"), headers: condition)
        #expect(first.status.code == 201)
        let again = await app.request(.post, "/fhir/QuestionnaireResponse", token: token, body: body(nil, "a-2"), headers: condition)
        #expect(again.status.code == 200)
        #expect(try FHIRAPIApp.json(again)["id"] == FHIRAPIApp.json(first)["id"])
        #expect(try Self.count(app) == before + 1)
    }

    @Test func ifNoneExistMatchingSeveralIsAPreconditionFailure() async throws {
        let (app, token, body) = try await Self.setUp()
        for _ in 0..<2 {
            #expect(await app.request(.post, "/fhir/QuestionnaireResponse", token: token, body: body(nil, "twice")).status.code == 201)
        }
        let before = try Self.count(app)
        let refused = await app.request(.post, "/fhir/QuestionnaireResponse", token: token, body: body(nil, "twice"),
                                         headers: [("If-None-Exist", "identifier=\(Self.system)|twice")])
        #expect(refused.status.code == 412)
        #expect(try FHIRAPIApp.json(refused)["issue"]?[0]?["code"]?.stringValue == "multiple-matches")
        #expect(try Self.count(app) == before)
    }

    @Test(arguments: [
        ("{\"resourceType\":\"QuestionnaireResponse\",\"identifier\":{\"system\":\"urn:x\"}}", 400),
        ("{\"resourceType\":\"QuestionnaireResponse\",\"identifier\":{\"system\":\"not a uri\",\"value\":\"1\"}}", 400),
    ])
    func anIdentifierWithoutAValueIsRefused(_ text: String, _ status: Int) async throws {
        let (app, token, _) = try await Self.setUp()
        let refused = await app.request(.post, "/fhir/QuestionnaireResponse", token: token, body: Array(text.utf8))
        #expect(refused.status.code == status)
        let expressions = try FHIRAPIApp.json(refused)["issue"]?.arrayValue?.compactMap { $0["expression"]?[0]?.stringValue } ?? []
        #expect(expressions.contains("QuestionnaireResponse.identifier"))
    }

    @Test func anIfNoneExistWithAnUnknownParameterIsRefused() async throws {
        let (app, token, body) = try await Self.setUp()
        let before = try Self.count(app)
        let refused = await app.request(.post, "/fhir/QuestionnaireResponse", token: token, body: body(nil, "a-3"),
                                         headers: [("If-None-Exist", "colour=red")])
        #expect(refused.status.code == 400)
        #expect(try Self.count(app) == before)
    }
}

/// A database that cannot write answers the API with 503 and `Retry-After`, never 500 and
/// never a false success: not for a create, and not for a read either, whose audit row must be
/// written before any data leaves.
@Suite struct FHIRAPIStorageFaultTests {
    @Test func aReadOnlyDatabaseAnswers503WithRetryAfterAndStoresNothing() async throws {
        let (app, token, body) = try await FHIRAPICreateTests.setUp()
        let before = try FHIRAPICreateTests.count(app)
        try await app.context.database.write { db in try db.execute("PRAGMA query_only = 1") }
        let created = await app.request(.post, "/fhir/QuestionnaireResponse", token: token, body: body(nil, "during-fault"))
        let searched = await app.request(.get, "/fhir/QuestionnaireResponse", token: token)
        for answer in [created, searched] {
            #expect(answer.status.code == 503)
            #expect(answer.headers["Retry-After"] == "30")
            #expect(try FHIRAPIApp.json(answer)["issue"]?[0]?["code"]?.stringValue == "transient")
        }
        #expect(try FHIRAPICreateTests.count(app) == before)
    }
}
