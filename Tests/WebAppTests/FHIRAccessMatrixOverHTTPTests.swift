import Foundation
import JSON
import Sharing
import Storage
import Testing
@testable import WebApp

/// The access matrix over the FHIR API (issue 6, "Tests": "tokens of each organisation kind
/// against each patient kind, 100 % as the policy says"), against a running server on a
/// loopback socket with curl: API clients of two hospital departments, a GP clinic and a
/// municipality's health and social-services units, against patients of every combination of
/// blocks and consent, each with scored and triaged responses and a clinician decision. Every
/// read, every search by CPR and every search naming no patient must be exactly what
/// `FHIRAccessMatrix.Rule.policy` (written from docs/access-policy.md) says, and the audit
/// trail must record each allowed and each refused read.
@Suite struct FHIRAccessMatrixOverHTTPTests {
    @Test func everyClientAgainstEveryPatientKindGetsExactlyWhatThePolicySays() async throws {
        let matrix = try await FHIRAccessMatrix()
        #expect(matrix.cases.count == 15)
        for patient in matrix.cases {
            let rows = patient.rows.mapValues { rows in Dictionary(grouping: rows, by: \.data).mapValues(\.count) }
            #expect(rows["Patient"] == [.identity: 1], "\(patient.kind)")
            #expect(rows["QuestionnaireResponse"] == [.results: 2], "\(patient.kind)")
            #expect(rows["Observation"] == [.results: 1], "\(patient.kind)")
            #expect(rows["ClinicalImpression"] == [.results: 2, .decisions: 1], "\(patient.kind)")
        }
        let run = try await matrix.serving { base in try await matrix.ask(base) }
        let clients = FHIRAccessMatrix.Client.allCases.count
        let types = FHIRAccessMatrix.Resource.all.count
        let searchesPerPatient = FHIRAccessMatrix.Resource.all.map(\.patientParameters.count).reduce(0, +)
        // Each patient has 7 rows: itself, 2 responses, the COPD score, 2 triage results, 1 decision.
        // Allowed: department A all 14 of its patients, B its 1, the GP and the municipal health
        // unit the 8 that did not block them, social services the 4 with an active consent and
        // no block, without the decision.
        let reads = clients * 15 * 7
        let allowed = 7 * (14 + 1 + 8 + 8) + 6 * 4
        #expect(run.reads.count == reads)
        #expect(run.reads.filter { $0.answer.status == 200 }.count == allowed)
        #expect(run.reads.filter { $0.answer.status == 404 }.count == reads - allowed)
        #expect(searchesPerPatient == 2 + 3 * 3)
        #expect(run.searches.filter { $0.patient != nil }.count == clients * 15 * searchesPerPatient)
        #expect(run.searches.filter { $0.patient == nil }.count == clients * types)
        // Pages of 5 naming no patient: department A 3 + 6 + 3 + 9, B 4 × 1, the GP and the
        // health unit 2 + 4 + 2 + 5 each, social services 1 + 2 + 1 + 2.
        let pages: Int = run.searches.filter { $0.patient == nil }.map(\.pages.count).reduce(0, +)
        #expect(pages == 21 + 4 + 13 + 13 + 6)
        #expect(run.reads.filter { $0.conditional.status == 304 }.count == allowed)
        #expect(run.reads.filter { $0.conditional.status == 404 }.count == reads - allowed)
        let allowedRows = run.audit.filter { $0.action == "read" && $0.what.contains("/") }
        #expect(allowedRows.count == 2 * allowed)
        #expect(run.audit.filter { $0.action == "denied" }.count == 2 * (reads - allowed))

        let mismatches = matrix.mismatches(run, under: .policy)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches:\n\(mismatches.joined(separator: "\n"))")

        // The check can fail: with one cell of the expectation turned around, every read of
        // that patient (plain, conditional, audited), every search naming it, the client's
        // searches naming no patient and its count of denied rows all disagree; so does its push queue.
        let cell = FHIRAccessMatrix.PatientKind(gpBlocked: true)
        let flipped = matrix.mismatches(run, under: FHIRAccessMatrix.Rule.policy.flipping(.gp, cell))
        let rowsOfCell = try #require(matrix.cases.first { $0.kind == cell }).rows.values.map(\.count).reduce(0, +)
        #expect(flipped.count == 3 * rowsOfCell + searchesPerPatient + types + 1, "\(flipped.joined(separator: "\n"))")
        #expect(flipped.allSatisfy { $0.hasPrefix("gp ") })

        // Push: each organisation's subscription was queued one notification per response it may read.
        let deliveries = try matrix.queuedDeliveries()
        #expect(deliveries.mapValues(\.count) == [.departmentA: 2 * 14, .departmentB: 2, .gp: 2 * 8, .municipalHealth: 2 * 8,
                                                   .socialServices: 2 * 4])
        let pushMismatches = matrix.pushMismatches(deliveries, under: .policy)
        #expect(pushMismatches.isEmpty, "\(pushMismatches.joined(separator: "\n"))")
        #expect(matrix.pushMismatches(deliveries, under: FHIRAccessMatrix.Rule.policy.flipping(.gp, cell)).count == 1)
    }

    @Test func aSocialServicesClientLosesThePatientAYearAfterTheConsentWasGiven() async throws {
        let matrix = try await FHIRAccessMatrix(kinds: [FHIRAccessMatrix.PatientKind(consent: .active),
                                                        FHIRAccessMatrix.PatientKind(gpBlocked: true, consent: .active)])
        let given = try matrix.staff.context.database.read { db in
            try SharingRecords.choices(db, matrix.cases[0].id).first { $0.kind == .consent }?.at
        }
        let lapse = try #require(given).addingTimeInterval(365 * 86_400)
        let clock = matrix.staff.clock
        try await matrix.serving { base in
            clock.advance(by: lapse.timeIntervalSince(clock.now) - 600)
            let before = try await matrix.ask(base)
            #expect(clock.now < lapse)
            let beforeMismatches = matrix.mismatches(before, under: .policy)
            #expect(beforeMismatches.isEmpty, "\(beforeMismatches.joined(separator: "\n"))")

            clock.advance(by: lapse.timeIntervalSince(clock.now) + 1)
            let after = try await matrix.ask(base)
            let afterMismatches = matrix.mismatches(after, under: FHIRAccessMatrix.Rule.policy.lapsingConsents())
            #expect(afterMismatches.isEmpty, "\(afterMismatches.joined(separator: "\n"))")
            #expect(!matrix.mismatches(after, under: .policy).isEmpty)
            let social = try #require(after.clientIDs[.socialServices])
            let refusals = after.audit.filter { $0.actorID == social && $0.action == "denied" }
            #expect(refusals.count == 2 * 2 * 7)
            #expect(refusals.allSatisfy { $0.outcome == "denied:noConsent" })
        }

        // Push stops too: answers given after the lapse notify the department and the GP (of the
        // patient who did not block it), never social services.
        let before = try matrix.queuedDeliveries().mapValues(\.count)
        for patient in matrix.cases {
            let (stored, enrolment) = try matrix.staff.context.database.read { db in
                (try #require(try Patients.find(db, id: patient.id)), try #require(try Enrolments.forPatient(db, patient.id).first))
            }
            try await matrix.staff.answerRound(stored, enrolment)
        }
        let added = try matrix.queuedDeliveries().mapValues(\.count).merging(before) { $0 - $1 }
        #expect(added == [.departmentA: 2 * 2, .departmentB: 0, .gp: 2, .municipalHealth: 2 * 2, .socialServices: 0])
    }

    @Test func anExpiredRevokedOrUnknownTokenGets401WithoutAnAuditRow() async throws {
        let matrix = try await FHIRAccessMatrix(kinds: [FHIRAccessMatrix.PatientKind()])
        let clock = matrix.staff.clock
        let (expiring, expiringToken) = try await matrix.token(.departmentA, expiresAt: clock.now.addingTimeInterval(60))
        let (revoked, revokedToken) = try await matrix.token(.departmentA)
        let (_, validToken) = try await matrix.token(.departmentA)
        let patient = "/fhir/Patient/\(FHIRAccessMatrix.Resource.patientID(matrix.cases[0].id))"
        let search = "/fhir/QuestionnaireResponse?patient:identifier=\(FHIRAccessMatrix.cprSystem)%7C\(matrix.cases[0].cpr)"
        try await matrix.serving { base in
            func ask(_ target: String, _ token: String?) async throws -> CurlResult {
                try await curl((token.map { ["-H", "Authorization: Bearer \($0)"] } ?? []) + [base + target])
            }
            #expect(try await ask(patient, expiringToken).status == 200)
            let now = clock.now
            #expect(try await matrix.staff.context.database.write { db in try APIClients.revoke(db, revoked.id, now: now) })
            clock.advance(by: 60)
            var bodies: Set<String> = []
            for token in [expiringToken, revokedToken, "not-a-token", nil] {
                for target in [patient, search] {
                    let answer = try await ask(target, token)
                    #expect(answer.status == 401, "\(target) with \(token ?? "no token")")
                    #expect(answer.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
                    #expect(try JSON.parse(answer.body)["resourceType"]?.stringValue == "OperationOutcome")
                    bodies.insert(answer.body)
                }
            }
            #expect(bodies.count == 1)
            #expect(try await ask(patient, validToken).status == 200)
        }
        let audit = try matrix.auditRows()
        #expect(audit.filter { $0.actorID == String(expiring.id.rawValue) }.count == 1)
        #expect(audit.filter { $0.actorID == String(revoked.id.rawValue) }.isEmpty)
    }
}
