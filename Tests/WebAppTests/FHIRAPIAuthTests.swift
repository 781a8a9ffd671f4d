import Foundation
import HTTPCore
import JSON
import Storage
import Testing
@testable import WebApp

/// Bearer authentication, scopes and the rate limit of `/fhir`.
@Suite struct FHIRAPIAuthTests {
    @Test func metadataNeedsNoTokenAndListsTheServedTypes() async throws {
        let app = try await FHIRAPIApp()
        let response = await app.request(.get, "/fhir/metadata", token: nil)
        #expect(response.status.code == 200)
        #expect(response.headers["Content-Type"]?.hasPrefix("application/fhir+json") == true)
        let statement = try FHIRAPIApp.json(response)
        #expect(statement["resourceType"]?.stringValue == "CapabilityStatement")
        let types = statement["rest"]?[0]?["resource"]?.arrayValue?.compactMap { $0["type"]?.stringValue } ?? []
        #expect(types.contains("QuestionnaireResponse") && types.contains("Patient"))
    }

    enum BadToken: String, CaseIterable { case missing, unknown, revoked, expired, notBearer }

    @Test(arguments: BadToken.allCases)
    func aMissingOrUnusableTokenIsRefusedWith401(_ kind: BadToken) async throws {
        let app = try await FHIRAPIApp()
        let (client, token) = try await app.client(expiresAt: app.staff.clock.now.addingTimeInterval(3_600))
        var headers: [(String, String)] = []
        var sent: String? = token
        switch kind {
        case .missing: sent = nil
        case .unknown: sent = token + "x"
        case .revoked:
            let now = app.staff.clock.now
            _ = try await app.context.database.write { db in try APIClients.revoke(db, client.id, now: now) }
        case .expired: app.staff.clock.advance(by: 3_601)
        case .notBearer:
            sent = nil
            headers = [("Authorization", "Basic \(token)")]
        }
        let response = await app.request(.get, "/fhir/QuestionnaireResponse", token: sent, headers: headers)
        #expect(response.status.code == 401)
        #expect(response.headers["WWW-Authenticate"]?.hasPrefix("Bearer") == true)
        #expect(try FHIRAPIApp.json(response)["resourceType"]?.stringValue == "OperationOutcome")
    }

    @Test func aValidTokenIsAccepted() async throws {
        let app = try await FHIRAPIApp()
        let (_, token) = try await app.client()
        #expect(await app.request(.get, "/fhir/QuestionnaireResponse", token: token).status.code == 200)
    }

    @Test func aMissingScopeIsRefusedWith403() async throws {
        let app = try await FHIRAPIApp()
        let (_, token) = try await app.client(scopes: ["system/Observation.read"])
        #expect(await app.request(.get, "/fhir/QuestionnaireResponse", token: token).status.code == 403)
        #expect(await app.request(.get, "/fhir/Observation", token: token).status.code == 200)
        #expect(await app.request(.post, "/fhir/QuestionnaireResponse", token: token, body: Array("{}".utf8)).status.code == 403)
    }

    @Test func aClientOverItsBurstGets429WithRetryAfterAndOthersDoNot() async throws {
        let app = try await FHIRAPIApp()
        let (_, token) = try await app.client()
        let (_, other) = try await app.client()
        let limiter = FHIRRateLimiter()
        for _ in 0..<Int(limiter.burst) {
            #expect(await app.request(.get, "/fhir/Patient", token: token).status.code == 200)
        }
        let refused = await app.request(.get, "/fhir/Patient", token: token)
        #expect(refused.status.code == 429)
        #expect(refused.headers["Retry-After"] == "1")
        #expect(await app.request(.get, "/fhir/Patient", token: other).status.code == 200)
        app.staff.clock.advance(by: 1)
        #expect(await app.request(.get, "/fhir/Patient", token: token).status.code == 200)
    }

    @Test func unknownTypesAndInteractionsAreRefused() async throws {
        let app = try await FHIRAPIApp()
        let (_, token) = try await app.client(scopes: ["system/*.*"])
        #expect(await app.request(.get, "/fhir/Medication", token: token).status.code == 404)
        #expect(await app.request(.post, "/fhir/Observation", token: token, body: Array("{}".utf8)).status.code == 405)
        #expect(await app.request(.get, "/fhir/Patient?_format=xml", token: token).status.code == 406)
        #expect(await app.request(.get, "/fhir/Organization/sor-999999999999999?_format=application/fhir%2Bxml", token: token).status.code == 406)
        #expect(await app.request(.get, "/fhir/Organization/sor-999999999999999?_format=json", token: token).status.code == 200)
        #expect(await app.request(.get, "/fhir/Patient", token: token, headers: [("Accept", "application/fhir+xml")]).status.code == 406)
    }
}

/// The scope syntax `byneed client add` accepts and the API checks.
@Suite struct FHIRAPIScopeTests {
    @Test(arguments: [
        ("system/Observation.read", "Observation", "read", true),
        ("system/Observation.read", "Observation", "write", false),
        ("system/Observation.read", "Patient", "read", false),
        ("system/*.read", "Patient", "read", true),
        ("system/QuestionnaireResponse.*", "QuestionnaireResponse", "write", true),
        ("system/*.*", "Organization", "read", true),
    ])
    func aScopeAllowsExactlyItsTypeAndAccess(_ text: String, _ type: String, _ access: String, _ allowed: Bool) throws {
        let scope = try #require(APIScope(text))
        #expect(scope.allows(resourceType: type, access: access) == allowed)
    }

    @Test(arguments: ["patient/Observation.read", "system/.read", "system/Observation", "system/Observation.delete", "user/*.*", ""])
    func aMalformedScopeIsRejected(_ text: String) {
        #expect(APIScope(text) == nil)
    }
}
