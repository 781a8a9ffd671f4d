import Foundation
import HTTPCore
import JSON
import Storage
import Testing
@testable import WebApp

/// Reads, searches and creates through `/fhir`, and the access policy behind them.
@Suite struct FHIRAPIResourceTests {
    @Test func aReadCarriesETagAndLastModifiedAndIfNoneMatchGives304() async throws {
        let app = try await FHIRAPIApp()
        let (patient, enrolment) = try await app.enrolWithGP("Anna Andersen", cpr: "0101701234")
        let responseID = try #require(try await app.staff.answerRound(patient, enrolment).first)
        let resourceID = try #require(try app.context.database.read { db in try Responses.find(db, id: responseID) }?.resourceID)
        let (_, token) = try await app.client()
        let response = await app.request(.get, "/fhir/QuestionnaireResponse/\(resourceID)", token: token)
        #expect(response.status.code == 200)
        #expect(try FHIRAPIApp.json(response)["id"]?.stringValue == resourceID)
        let tag = try #require(response.headers["ETag"])
        #expect(tag == "W/\"1\"")
        #expect(response.headers["Last-Modified"] != nil)
        let again = await app.request(.get, "/fhir/QuestionnaireResponse/\(resourceID)", token: token, headers: [("If-None-Match", tag)])
        #expect(again.status.code == 304)
        #expect(again.body.isEmpty)
        #expect(await app.request(.get, "/fhir/QuestionnaireResponse/no-such-id", token: token).status.code == 404)
    }

    @Test func vreadServesTheCurrentVersionAndNoOther() async throws {
        let app = try await FHIRAPIApp()
        let (patient, enrolment) = try await app.enrolWithGP("Anna Andersen", cpr: "0101701234")
        let responseID = try #require(try await app.staff.answerRound(patient, enrolment).first)
        let resourceID = try #require(try app.context.database.read { db in try Responses.find(db, id: responseID) }?.resourceID)
        let (_, token) = try await app.client()
        let read = await app.request(.get, "/fhir/QuestionnaireResponse/\(resourceID)", token: token)
        let current = await app.request(.get, "/fhir/QuestionnaireResponse/\(resourceID)/_history/1", token: token)
        #expect(current.status.code == 200)
        #expect(current.body == read.body)
        #expect(current.headers["ETag"] == "W/\"1\"")
        let other = await app.request(.get, "/fhir/QuestionnaireResponse/\(resourceID)/_history/2", token: token)
        #expect(other.status.code == 404)
        #expect(try FHIRAPIApp.json(other)["resourceType"]?.stringValue == "OperationOutcome")
        let organization = "/fhir/Organization/sor-\(app.staff.department.sorCode)"
        let version = try #require(try FHIRAPIApp.json(await app.request(.get, organization, token: token))["meta"]?["versionId"]?.stringValue)
        #expect(await app.request(.get, "\(organization)/_history/\(version)", token: token).status.code == 200)
        #expect(await app.request(.get, "\(organization)/_history/1", token: token).status.code == 404, "a version by content, not 1")
    }

    @Test func aPatientsLastUpdatedStaysPutUntilItsContentChanges() async throws {
        let app = try await FHIRAPIApp()
        let (patient, _) = try await app.enrolWithGP("Anna Andersen", cpr: "0101701234")
        let (_, token) = try await app.client()
        let path = "/fhir/Patient/patient-\(patient.id.rawValue)"
        let first = try FHIRAPIApp.json(await app.request(.get, path, token: token))["meta"]
        app.staff.clock.advance(by: 3_600)
        let again = try FHIRAPIApp.json(await app.request(.get, path, token: token))["meta"]
        #expect(again == first, "an unchanged patient keeps its version and lastUpdated")
        let searched = try FHIRAPIApp.json(await app.request(.get, "/fhir/Patient?_id=patient-\(patient.id.rawValue)", token: token))
        #expect(searched["entry"]?[0]?["resource"]?["meta"] == first)
        try await app.context.database.write { db in
            try Patients.update(db, patient.id, name: "Anna Berg", language: "da", contact: patient.contact)
        }
        app.staff.clock.advance(by: 60)
        let renamed = try FHIRAPIApp.json(await app.request(.get, path, token: token))["meta"]
        #expect(renamed?["versionId"] != first?["versionId"])
        #expect(renamed?["lastUpdated"]?.stringValue == Timestamp.string(app.staff.clock.now))
    }

    @Test func everyReadWritesAnAPIClientAuditRow() async throws {
        let app = try await FHIRAPIApp()
        let (patient, enrolment) = try await app.enrolWithGP("Anna Andersen", cpr: "0101701234")
        try await app.staff.answerRound(patient, enrolment)
        let (client, token) = try await app.client()
        #expect(await app.request(.get, "/fhir/Patient/patient-\(patient.id.rawValue)", token: token).status.code == 200)
        let rows = try app.context.database.read { db in try AuditLog.forPatient(db, patient.id) }
        #expect(rows.contains { $0.actorKind == .apiClient && $0.actorID == String(client.id.rawValue) && $0.action == .read })
    }

    @Test func aSearchAuditsEveryPatientOnItsPageAndNoOneElse() async throws {
        let app = try await FHIRAPIApp()
        let (patient, enrolment) = try await app.enrolWithGP("Anna Andersen", cpr: "0101701234")
        let (other, otherEnrolment) = try await app.enrolWithGP("Bent Berg", cpr: "0202702345")
        try await app.staff.answerRound(patient, enrolment)
        try await app.staff.answerRound(other, otherEnrolment)
        let (_, token) = try await app.client()
        let target = "/fhir/QuestionnaireResponse?patient:identifier=urn:oid:1.2.208.176.1.2%7C0101701234"
        #expect(await app.request(.get, target, token: token).status.code == 200)
        let (mine, theirs) = try app.context.database.read { db in
            (try AuditLog.forPatient(db, patient.id), try AuditLog.forPatient(db, other.id))
        }
        #expect(mine.contains { $0.actorKind == .apiClient && $0.action == .read && $0.what == "QuestionnaireResponse search" })
        #expect(!theirs.contains { $0.actorKind == .apiClient })
    }

    @Test func aSearchPagesThroughEveryResponseExactlyOnce() async throws {
        let app = try await FHIRAPIApp()
        let (patient, enrolment) = try await app.enrolWithGP("Anna Andersen", cpr: "0101701234")
        for _ in 0..<3 {
            try await app.staff.answerRound(patient, enrolment)
            app.staff.clock.advance(by: 86_400)
        }
        let stored = try app.context.database.read { db in try Responses.count(db) }
        #expect(stored >= 5)
        let (_, token) = try await app.client()
        var target: String? = "/fhir/QuestionnaireResponse?patient:identifier=urn:oid:1.2.208.176.1.2%7C0101701234&_count=2"
        var seen: [String] = []
        var pages = 0
        while let next = target {
            let response = await app.request(.get, next, token: token)
            #expect(response.status.code == 200)
            let bundle = try FHIRAPIApp.json(response)
            #expect(bundle["total"]?.intValue == stored)
            let ids = FHIRAPIApp.ids(bundle)
            #expect(ids.count <= 2)
            seen += ids
            pages += 1
            target = FHIRAPIApp.link(bundle, "next")
            #expect(pages <= stored)
        }
        #expect(pages >= 3)
        #expect(seen.count == stored)
        #expect(Set(seen).count == stored)
    }

    @Test func theGPSeesItsSharedPatientUntilThePatientBlocksIt() async throws {
        let app = try await FHIRAPIApp()
        let (patient, enrolment) = try await app.enrolWithGP("Anna Andersen", cpr: "0101701234")
        let (other, otherEnrolment) = try await app.enrolWithGP("Bent Berg", cpr: "0202702345")
        let responseID = try #require(try await app.staff.answerRound(patient, enrolment).first)
        try await app.staff.answerRound(other, otherEnrolment)
        let resourceID = try #require(try app.context.database.read { db in try Responses.find(db, id: responseID) }?.resourceID)
        let (_, token) = try await app.client(app.gp)
        let all = try FHIRAPIApp.json(await app.request(.get, "/fhir/QuestionnaireResponse", token: token))
        let before = try #require(all["total"]?.intValue)
        #expect(before == 4)
        #expect(await app.request(.get, "/fhir/QuestionnaireResponse/\(resourceID)", token: token).status.code == 200)
        let byCPR = try FHIRAPIApp.json(await app.request(.get, "/fhir/Patient?identifier=urn:oid:1.2.208.176.1.2%7C0101701234", token: token))
        #expect(byCPR["total"]?.intValue == 1)

        try await app.block(patient, app.gp)
        #expect(await app.request(.get, "/fhir/QuestionnaireResponse/\(resourceID)", token: token).status.code == 404)
        #expect(await app.request(.get, "/fhir/Patient/patient-\(patient.id.rawValue)", token: token).status.code == 404)
        let after = try FHIRAPIApp.json(await app.request(.get, "/fhir/QuestionnaireResponse", token: token))
        #expect(after["total"]?.intValue == 2)
        #expect(!FHIRAPIApp.ids(after).contains(resourceID))
        let hidden = try FHIRAPIApp.json(await app.request(.get, "/fhir/Patient?identifier=urn:oid:1.2.208.176.1.2%7C0101701234", token: token))
        #expect(hidden["total"]?.intValue == 0)
        let denials = try app.context.database.read { db in try AuditLog.forPatient(db, patient.id) }
            .filter { $0.actorKind == .apiClient && $0.action == .denied }
        #expect(!denials.isEmpty)
    }

    @Test func aClientOfAnUnrelatedOrganisationSeesNothing() async throws {
        let app = try await FHIRAPIApp()
        let (patient, enrolment) = try await app.enrolWithGP("Anna Andersen", cpr: "0101701234")
        try await app.staff.answerRound(patient, enrolment)
        let stranger = try await app.context.database.write { db in
            try Departments.insert(db, sorCode: "333333333333333", name: "Fremmed klinik", phone: "3", kind: .gpClinic)
        }
        let (_, token) = try await app.client(stranger)
        let bundle = try FHIRAPIApp.json(await app.request(.get, "/fhir/Observation", token: token))
        #expect(bundle["total"]?.intValue == 0)
        #expect(bundle["entry"] == nil)
    }

    @Test func aCreatedResponseIsScoredAndTriagedAndReadable() async throws {
        let app = try await FHIRAPIApp()
        let (patient, enrolment) = try await app.enrolWithGP("Anna Andersen", cpr: "0101701234")
        let responseID = try #require(try await app.staff.answerRound(patient, enrolment, mmrc: 3, admitted: true).first)
        let original = try #require(try app.context.database.read { db in try Responses.find(db, id: responseID) })
        let countBefore = try app.context.database.read { db in try Responses.count(db) }
        let (_, token) = try await app.client(scopes: ["system/QuestionnaireResponse.*", "system/ClinicalImpression.read"])
        let created = await app.request(.post, "/fhir/QuestionnaireResponse", token: token, body: Array(original.resourceJSON.utf8))
        #expect(created.status.code == 201)
        let location = try #require(created.headers["Location"])
        let id = try #require(try FHIRAPIApp.json(created)["id"]?.stringValue)
        #expect(location.hasSuffix("/QuestionnaireResponse/\(id)/_history/1"))
        #expect(id != original.resourceID)
        #expect(try app.context.database.read { db in try Responses.count(db) } == countBefore + 1)
        #expect(await app.request(.get, "/fhir/QuestionnaireResponse/\(id)", token: token).status.code == 200)
        #expect(await app.request(.get, location, token: token).status.code == 200, "the Location header can be followed")
        let triage = try FHIRAPIApp.json(await app.request(.get, "/fhir/ClinicalImpression/ci-triage-\(id)", token: token))
        let originalTriage = try FHIRAPIApp.json(await app.request(.get, "/fhir/ClinicalImpression/ci-triage-\(original.resourceID)", token: token))
        #expect(triage["finding"]?[0] == originalTriage["finding"]?[0])
    }

    @Test func onlyTheResponsibleDepartmentMaySubmitAnswers() async throws {
        let app = try await FHIRAPIApp()
        let (patient, enrolment) = try await app.enrolWithGP("Anna Andersen", cpr: "0101701234")
        let responseID = try #require(try await app.staff.answerRound(patient, enrolment).first)
        let original = try #require(try app.context.database.read { db in try Responses.find(db, id: responseID) })
        let before = try app.context.database.read { db in try Responses.count(db) }
        let (_, token) = try await app.client(app.gp, scopes: ["system/QuestionnaireResponse.*"])
        #expect(await app.request(.get, "/fhir/QuestionnaireResponse/\(original.resourceID)", token: token).status.code == 200)
        let refused = await app.request(.post, "/fhir/QuestionnaireResponse", token: token, body: Array(original.resourceJSON.utf8))
        #expect(refused.status.code == 422)
        #expect(try app.context.database.read { db in try Responses.count(db) } == before)
        let denials = try app.context.database.read { db in try AuditLog.forPatient(db, patient.id) }
            .filter { $0.actorKind == .apiClient && $0.action == .denied && $0.outcome == "denied:not-responsible" }
        #expect(denials.count == 1)
    }

    enum BadBody: String, CaseIterable { case notJSON, wrongType, unknownQuestionnaire, unknownItem, unknownPatient }

    @Test(arguments: BadBody.allCases)
    func anInvalidResponseIsRefusedAndNothingIsStored(_ kind: BadBody) async throws {
        let app = try await FHIRAPIApp()
        let (patient, enrolment) = try await app.enrolWithGP("Anna Andersen", cpr: "0101701234")
        let responseID = try #require(try await app.staff.answerRound(patient, enrolment).first)
        let original = try #require(try app.context.database.read { db in try Responses.find(db, id: responseID) })
        var resource = try #require(try JSON.parse(original.resourceJSON).objectValue)
        let expected: Int
        switch kind {
        case .notJSON: expected = 400
        case .wrongType:
            resource["resourceType"] = "Observation"
            expected = 400
        case .unknownQuestionnaire:
            resource["questionnaire"] = "http://example.org/Questionnaire/none|1"
            expected = 422
        case .unknownItem:
            resource["item"] = [["linkId": "no-such-item", "answer": [["valueInteger": 1]]]]
            expected = 422
        case .unknownPatient:
            resource["subject"] = ["identifier": ["system": "urn:oid:1.2.208.176.1.2", "value": "0303703456"]]
            expected = 422
        }
        let body = kind == .notJSON ? Array("{\"resourceType\":".utf8) : JSON.object(resource).serializedBytes()
        let before = try app.context.database.read { db in try Responses.count(db) }
        let (_, token) = try await app.client(scopes: ["system/QuestionnaireResponse.write"])
        let response = await app.request(.post, "/fhir/QuestionnaireResponse", token: token, body: body)
        #expect(response.status.code == expected)
        #expect(try FHIRAPIApp.json(response)["resourceType"]?.stringValue == "OperationOutcome")
        #expect(try app.context.database.read { db in try Responses.count(db) } == before)
    }
}

/// Every searchable type's entries can be read back by id, with the same content.
@Suite struct FHIRAPIReadBackTests {
    @Test(arguments: ["QuestionnaireResponse", "Observation", "ClinicalImpression", "Patient", "Questionnaire"])
    func everySearchedResourceReadsBackTheSame(_ type: String) async throws {
        let app = try await FHIRAPIApp()
        let (patient, enrolment) = try await app.enrolWithGP("Anna Andersen", cpr: "0101701234")
        try await app.staff.answerRound(patient, enrolment, mmrc: 3)
        let (_, token) = try await app.client()
        let bundle = try FHIRAPIApp.json(await app.request(.get, "/fhir/\(type)", token: token))
        let entry = try #require(bundle["entry"]?[0])
        let id = try #require(entry["resource"]?["id"]?.stringValue)
        #expect(entry["fullUrl"]?.stringValue == "http://localhost/fhir/\(type)/\(id)")
        let read = await app.request(.get, "/fhir/\(type)/\(id)", token: token)
        #expect(read.status.code == 200)
        #expect(try FHIRAPIApp.json(read) == entry["resource"])
    }

    @Test func aClinicianDecisionIsAnAssessmentImpressionTheGPSeesUntilBlocked() async throws {
        let app = try await FHIRAPIApp()
        let (patient, enrolment) = try await app.enrolWithGP("Anna Andersen", cpr: "0101701234")
        let responseID = try #require(try await app.staff.answerRound(patient, enrolment).first)
        let now = app.staff.clock.now
        let nurse = app.staff.nurse.id
        let decision = try await app.context.database.write { db in
            try Decisions.record(db, patientID: patient.id, subject: .response(responseID), kind: .phoneCall, visitDate: nil,
                                 nextDueDate: nil, note: "Ringet op", decidedBy: nurse, corrects: nil, now: now)
        }
        let (_, token) = try await app.client(app.gp)
        let read = await app.request(.get, "/fhir/ClinicalImpression/ci-decision-\(decision.id.rawValue)", token: token)
        #expect(read.status.code == 200)
        #expect(try FHIRAPIApp.json(read)["assessor"]?["display"]?.stringValue == app.staff.nurse.displayName)
        let search = try FHIRAPIApp.json(await app.request(.get, "/fhir/ClinicalImpression", token: token))
        #expect(FHIRAPIApp.ids(search).contains("ci-decision-\(decision.id.rawValue)"))
        try await app.block(patient, app.gp)
        #expect(await app.request(.get, "/fhir/ClinicalImpression/ci-decision-\(decision.id.rawValue)", token: token).status.code == 404)
        #expect(try FHIRAPIApp.json(await app.request(.get, "/fhir/ClinicalImpression", token: token))["total"]?.intValue == 0)
    }

    @Test func theDepartmentReadsAsAnOrganization() async throws {
        let app = try await FHIRAPIApp()
        let (_, token) = try await app.client()
        let read = await app.request(.get, "/fhir/Organization/sor-\(app.staff.department.sorCode)", token: token)
        #expect(read.status.code == 200)
        #expect(try FHIRAPIApp.json(read)["name"]?.stringValue == app.staff.department.name)
        #expect(await app.request(.get, "/fhir/Organization/sor-000", token: token).status.code == 404)
    }

    @Test func aPreviousLinkReturnsThePageBefore() async throws {
        let app = try await FHIRAPIApp()
        let (patient, enrolment) = try await app.enrolWithGP("Anna Andersen", cpr: "0101701234")
        for _ in 0..<3 {
            try await app.staff.answerRound(patient, enrolment)
            app.staff.clock.advance(by: 86_400)
        }
        let (_, token) = try await app.client()
        let first = try FHIRAPIApp.json(await app.request(.get, "/fhir/QuestionnaireResponse?_count=2", token: token))
        #expect(FHIRAPIApp.link(first, "previous") == nil)
        let second = try FHIRAPIApp.json(await app.request(.get, try #require(FHIRAPIApp.link(first, "next")), token: token))
        let back = try FHIRAPIApp.json(await app.request(.get, try #require(FHIRAPIApp.link(second, "previous")), token: token))
        #expect(FHIRAPIApp.ids(back) == FHIRAPIApp.ids(first))
        #expect(Set(FHIRAPIApp.ids(second)).isDisjoint(with: FHIRAPIApp.ids(first)))
    }
}

/// Search parameters narrow what a client sees; unknown ones are refused unless lenient.
@Suite struct FHIRAPISearchParameterTests {
    static let copd = "http://byneed.dk/fhir/Questionnaire/copd-followup"

    @Test(arguments: [
        ("QuestionnaireResponse?questionnaire=\(copd)", 1, 200),
        ("QuestionnaireResponse?status=completed", 2, 200),
        ("QuestionnaireResponse?status=in-progress", 0, 200),
        ("QuestionnaireResponse?authored=ge2099-01-01", 0, 200),
        ("QuestionnaireResponse?authored=lt2099-01-01", 2, 200),
        ("QuestionnaireResponse?patient:identifier=urn:oid:1.2.208.176.1.2%7C0303703456", 0, 200),
        ("QuestionnaireResponse?colour=red", 0, 400),
        ("Patient?identifier=urn:oid:1.2.208.176.1.2%7C0101701234", 1, 200),
        ("Questionnaire?url=\(copd)", 1, 200),
    ])
    func aParameterSelectsExactlyItsMatches(_ query: String, _ expected: Int, _ status: Int) async throws {
        let app = try await FHIRAPIApp()
        let (patient, enrolment) = try await app.enrolWithGP("Anna Andersen", cpr: "0101701234")
        try await app.staff.answerRound(patient, enrolment)
        let (_, token) = try await app.client()
        let response = await app.request(.get, "/fhir/\(query)", token: token)
        #expect(response.status.code == status)
        if status == 200 { #expect(try FHIRAPIApp.json(response)["total"]?.intValue == expected) }
    }

    @Test func anUnknownParameterIsIgnoredWhenTheClientPrefersLenientHandling() async throws {
        let app = try await FHIRAPIApp()
        let (_, token) = try await app.client()
        let response = await app.request(.get, "/fhir/QuestionnaireResponse?colour=red", token: token, headers: [("Prefer", "handling=lenient")])
        #expect(response.status.code == 200)
        #expect(FHIRAPIApp.link(try FHIRAPIApp.json(response), "self")?.contains("colour") == false)
    }

    @Test func includeAddsTheAnsweredQuestionnaireOnce() async throws {
        let app = try await FHIRAPIApp()
        let (patient, enrolment) = try await app.enrolWithGP("Anna Andersen", cpr: "0101701234")
        try await app.staff.answerRound(patient, enrolment)
        try await app.staff.answerRound(patient, enrolment)
        let (_, token) = try await app.client()
        let bundle = try FHIRAPIApp.json(await app.request(
            .get, "/fhir/QuestionnaireResponse?questionnaire=\(Self.copd)&_include=QuestionnaireResponse:questionnaire", token: token))
        let included = (bundle["entry"]?.arrayValue ?? []).filter { $0["search"]?["mode"]?.stringValue == "include" }
        #expect(bundle["total"]?.intValue == 2)
        #expect(included.count == 1)
        #expect(included.first?["resource"]?["resourceType"]?.stringValue == "Questionnaire")
    }
}
