import FHIR
import Foundation
import HTTPCore
import JSON
import Storage
import Testing
@testable import WebApp

/// Searches answered in SQL (`FHIRAPI.indexedPage`): each criterion selects exactly what the
/// resources themselves say, and pages over mixed rows show every row once in both directions.
@Suite struct FHIRAPIIndexedSearchTests {
    /// Three rounds a day apart (two responses each), a phone call on the first response and
    /// a correction of it; the department's client.
    static func history() async throws -> (FHIRAPIApp, token: String, first: String) {
        let app = try await FHIRAPIApp()
        let (patient, enrolment) = try await app.enrolWithGP("Anna Andersen", cpr: "0101701234")
        var responses: [ResponseID] = []
        for _ in 0..<3 {
            responses += try await app.staff.answerRound(patient, enrolment)
            app.staff.clock.advance(by: 86_400)
        }
        let now = app.staff.clock.now
        let nurse = app.staff.nurse.id
        let first = try #require(responses.first)
        try await app.context.database.write { db in
            let call = try Decisions.record(db, patientID: patient.id, subject: .response(first), kind: .phoneCall, visitDate: nil,
                                            nextDueDate: nil, note: "Ringet op", decidedBy: nurse, corrects: nil, now: now)
            _ = try Decisions.record(db, patientID: patient.id, subject: .response(first), kind: .noAction, visitDate: nil,
                                     nextDueDate: nil, note: "Fejlregistrering", decidedBy: nurse, corrects: call.id,
                                     now: now.addingTimeInterval(60))
        }
        let resourceID = try #require(try app.context.database.read { db in try Responses.find(db, id: first) }?.resourceID)
        let (_, token) = try await app.client()
        return (app, token, resourceID)
    }

    /// Every match of a search, following `next` links.
    static func all(_ app: FHIRAPIApp, _ query: String, token: String) async throws -> (ids: [String], resources: [JSON], total: Int?) {
        var target: String? = "/fhir/\(query)"
        var ids: [String] = []
        var resources: [JSON] = []
        var total: Int?
        while let next = target {
            let response = await app.request(.get, next, token: token)
            try #require(response.status.code == 200, "\(next): \(String(decoding: response.body, as: UTF8.self))")
            let bundle = try FHIRAPIApp.json(response)
            total = bundle["total"]?.intValue
            ids += FHIRAPIApp.ids(bundle)
            resources += (bundle["entry"]?.arrayValue ?? []).filter { $0["search"]?["mode"]?.stringValue == "match" }.compactMap { $0["resource"] }
            target = FHIRAPIApp.link(bundle, "next")
        }
        return (ids, resources, total)
    }

    @Test func mixedTriageAndAssessmentImpressionsPageOnceEachBothWays() async throws {
        let (app, token, _) = try await Self.history()
        let everything = try await Self.all(app, "ClinicalImpression?_count=100", token: token)
        #expect(everything.total == 8, "six triage results and two assessments")
        let paged = try await Self.all(app, "ClinicalImpression?_count=3", token: token)
        #expect(paged.ids == everything.ids)
        var backwards: [String] = []
        var page = try FHIRAPIApp.json(await app.request(.get, "/fhir/ClinicalImpression?_count=3", token: token))
        while let next = FHIRAPIApp.link(page, "next") { page = try FHIRAPIApp.json(await app.request(.get, next, token: token)) }
        backwards = FHIRAPIApp.ids(page)
        while let previous = FHIRAPIApp.link(page, "previous") {
            page = try FHIRAPIApp.json(await app.request(.get, previous, token: token))
            backwards = FHIRAPIApp.ids(page) + backwards
        }
        #expect(backwards == everything.ids)
        let times = everything.resources.compactMap { $0["date"]?.stringValue ?? $0["meta"]?["lastUpdated"]?.stringValue }
        #expect(times == times.sorted(by: >), "newest first")
    }

    @Test func statusSelectsTheCorrectedAssessment() async throws {
        let (app, token, _) = try await Self.history()
        let corrected = try await Self.all(app, "ClinicalImpression?status=entered-in-error", token: token)
        #expect(corrected.total == 1)
        #expect(corrected.resources.allSatisfy { $0["status"]?.stringValue == "entered-in-error" })
        let completed = try await Self.all(app, "ClinicalImpression?status=completed", token: token)
        #expect(completed.total == 7)
    }

    @Test func idSelectsExactlyTheNamedRows() async throws {
        let (app, token, first) = try await Self.history()
        let triage = try await Self.all(app, "ClinicalImpression?_id=ci-triage-\(first)", token: token)
        #expect(triage.ids == ["ci-triage-\(first)"])
        let responses = try await Self.all(app, "QuestionnaireResponse?_id=\(first),no-such-id", token: token)
        #expect(responses.ids == [first])
        let observations = try await Self.all(app, "Observation?_count=100", token: token)
        let chosen = try #require(observations.ids.last)
        #expect(try await Self.all(app, "Observation?_id=\(chosen)", token: token).ids == [chosen])
        #expect(try await Self.all(app, "Observation?_id=obs-\(first)-no-such-score", token: token).total == 0)
    }

    @Test func codeSelectsTheObservationsCarryingIt() async throws {
        let (app, token, _) = try await Self.history()
        let observations = try await Self.all(app, "Observation?_count=100", token: token)
        let coding = try #require(observations.resources.first?["code"]?["coding"]?[0])
        let system = try #require(coding["system"]?.stringValue)
        let code = try #require(coding["code"]?.stringValue)
        let expected = observations.resources.filter { resource in
            (resource["code"]?["coding"]?.arrayValue ?? []).contains { $0["system"]?.stringValue == system && $0["code"]?.stringValue == code }
        }.compactMap { $0["id"]?.stringValue }
        let query = "Observation?code=\(system.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)%7C\(code)&_count=100"
        #expect(try await Self.all(app, query, token: token).ids == expected)
        #expect(try await Self.all(app, "Observation?code=http://loinc.org%7C0000-0", token: token).total == 0)
    }

    @Test func datesCompareAsInstantsIncludingFractionsOfASecond() async throws {
        let (app, token, first) = try await Self.history()
        let read = try FHIRAPIApp.json(await app.request(.get, "/fhir/QuestionnaireResponse/\(first)", token: token))
        let authored = try #require(read["authored"]?.stringValue)
        let instant = try #require(Timestamp.date(authored))
        func stamp(_ offset: TimeInterval, fraction: String = "") -> String {
            let text = Timestamp.string(instant.addingTimeInterval(offset))
            return String(text.dropLast()) + fraction + "Z"
        }
        let cases: [(String, Bool)] = [
            ("ge" + stamp(0), true), ("gt" + stamp(0), false), ("le" + stamp(0), true), ("lt" + stamp(0), false),
            ("ge" + stamp(-1, fraction: ".5"), true), ("ge" + stamp(0, fraction: ".5"), false),
            ("lt" + stamp(0, fraction: ".5"), true), ("le" + stamp(-1, fraction: ".5"), false),
        ]
        for (value, selected) in cases {
            let found = try await Self.all(app, "QuestionnaireResponse?_id=\(first)&authored=\(value)", token: token)
            #expect(found.ids == (selected ? [first] : []), "authored=\(value)")
            let updated = try await Self.all(app, "QuestionnaireResponse?_id=\(first)&_lastUpdated=\(value)", token: token)
            #expect(updated.ids == found.ids, "_lastUpdated=\(value)")
        }
    }

    @Test func questionnaireByResourceIDSelectsThatVersion() async throws {
        let (app, token, _) = try await Self.history()
        let copd = try #require(app.context.catalogue.latest(url: FHIRAPISearchParameterTests.copd))
        let id = FHIRResources.questionnaireID(copd)
        #expect(try await Self.all(app, "QuestionnaireResponse?questionnaire=Questionnaire/\(id)", token: token).total == 3)
        #expect(try await Self.all(app, "QuestionnaireResponse?questionnaire=Questionnaire/unknown", token: token).total == 0)
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"), (0.5, "1970-01-01T00:00:01Z"), (59.999, "1970-01-01T00:01:00Z"), (-0.5, "1970-01-01T00:00:00Z"),
    ])
    func aBoundIsRoundedUpToTheNextStoredSecond(_ seconds: Double, _ expected: String) {
        #expect(FHIRAPI.storedTimeBound(Date(timeIntervalSince1970: seconds)) == expected)
    }
}
