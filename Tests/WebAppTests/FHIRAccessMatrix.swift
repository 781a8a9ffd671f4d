import FollowUp
import Foundation
import HTTPServer
import Questionnaire
import Sharing
import Storage
import Testing
@testable import WebApp

/// The world the FHIR API access matrix runs in: the staff test application with two hospital
/// departments, a GP clinic and a municipality's health and social-services units, each
/// subscribed to every new result (push, full payload), and one patient of every `PatientKind`,
/// each with an answered round (two scored and triaged responses) and a clinician decision by
/// the patient's own department.
///
/// The expected answers are `Rule.policy`; what exists per patient is read from storage into
/// `Case.rows`, one list per `Resource`.
struct FHIRAccessMatrix {
    /// The CPR identifier system (DK Core).
    static let cprSystem = "urn:oid:1.2.208.176.1.2"
    /// A CPR number no patient has: a refusal must look exactly like a search for it.
    static let unknownCPR = "0101899999"
    /// An id no resource has: a refused read must look exactly like a read of it.
    static let unknownID = "unknown-id-0000"
    /// A Patient id no patient has: a refused search by reference must look exactly like a search for it.
    static let unknownPatientID = "patient-999999"
    /// The municipality the units serve and department A's patients live in.
    static let municipality = "0101"
    /// Where the subscriptions point; nothing listens, nothing is sent: the matrix reads the queue.
    static let hookEndpoint = "http://127.0.0.1:9/hook"

    /// One patient of the matrix: its kind, CPR number, row id and every resource it has.
    struct Case: Sendable {
        let kind: PatientKind
        let cpr: String
        let id: PatientID
        /// Resource type → the patient's rows of that type.
        let rows: [String: [Row]]

        /// The rows of `type` that `rule` lets `client` see.
        func visible(_ type: String, to client: Client, under rule: Rule) -> [Row] {
            (rows[type] ?? []).filter { rule.mayRead(client, kind, $0.data) }
        }
    }

    let staff: StaffApp
    let organisations: [Client: Department]
    /// Each organisation's subscription to every new result, made before anyone answered.
    let subscriptions: [Client: SubscriptionID]
    let cases: [Case]

    /// Builds the world with one patient of each of `kinds`.
    init(kinds: [PatientKind] = PatientKind.all) async throws {
        let staff = try await StaffApp()
        let now = staff.clock.now
        let plan = try #require(staff.context.latestPlan(id: StaffApp.copd))
        let today = CalendarDay(now, in: staff.context.timeZone)
        let departmentA = staff.department
        let (organisations, subscriptions, enrolled) = try await staff.context.database.write { db in
            let organisations: [Client: Department] = [
                .departmentA: departmentA,
                .departmentB: try #require(try Departments.find(db, sorCode: "111111111111111")),
                .gp: try Departments.insert(db, sorCode: "200000000000001", name: "Lægehuset", phone: "2", kind: .gpClinic),
                .municipalHealth: try Departments.insert(db, sorCode: "300000000000001", name: "Hjemmeplejen", phone: "3",
                                                         kind: .municipalHealthUnit, municipalityCode: Self.municipality),
                .socialServices: try Departments.insert(db, sorCode: "400000000000001", name: "Socialcentret", phone: "4",
                                                        kind: .municipalSocialServicesUnit, municipalityCode: Self.municipality),
            ]
            var subscriptions: [Client: SubscriptionID] = [:]
            for (client, organisation) in organisations {
                let (pushClient, _) = try APIClients.create(db, organisationID: organisation.id, scopes: ["system/Subscription.write"],
                                                            now: now, expiresAt: nil)
                subscriptions[client] = try Subscriptions.create(db, client: pushClient, colours: Set(TriageColour.allCases),
                                                                 endpoint: Self.hookEndpoint, fullPayload: true, now: now).id
            }
            var enrolled: [(PatientKind, Patient, StoredEnrolment)] = []
            for (offset, kind) in kinds.enumerated() {
                let department = try #require(organisations[kind.department == .a ? .departmentA : .departmentB])
                let contact = kind.department == .a
                    ? PatientContact(email: "p@example.dk", gpSORCode: organisations[.gp]?.sorCode, municipalityCode: Self.municipality)
                    : PatientContact(email: "p@example.dk")
                let patient = try Patients.insert(db, cpr: String(format: "01018%05d", offset + 1), name: "Patient \(offset + 1)",
                                                  language: "da", departmentID: department.id, contact: contact)
                let enrolment = try Enrolments.enrol(db, patientID: patient.id, departmentID: department.id, planID: plan.id,
                                                     planVersion: plan.version, startDate: today, actor: "test",
                                                     now: now.addingTimeInterval(-600))
                for (order, (client, choice)) in Self.choices(kind).enumerated() {
                    try SharingRecords.record(db, patientID: patient.id, organisation: try #require(organisations[client]), kind: choice,
                                              at: now.addingTimeInterval(Double(order - 300)), channel: "test", actor: "patient")
                }
                enrolled.append((kind, patient, enrolment))
            }
            return (organisations, subscriptions, enrolled)
        }
        var decided: [(PatientKind, Patient)] = []
        for (kind, patient, enrolment) in enrolled {
            let responses = try await staff.answerRound(patient, enrolment, mmrc: 3, admitted: kind.consent == .active)
            let response = try #require(responses.first)
            let username = kind.department == .a ? staff.nurse.username : "fremmed"
            try await staff.context.database.write { db in
                let author = try #require(try StaffAccounts.find(db, username: username))
                try Decisions.record(db, patientID: patient.id, subject: .response(response), kind: .phoneCall, visitDate: nil,
                                     nextDueDate: nil, note: "Ringet op", decidedBy: author.id, corrects: nil, now: now)
            }
            decided.append((kind, patient))
        }
        let api = FHIRAPI(context: staff.context)
        cases = try staff.context.database.read { db in
            try decided.map { kind, patient in
                let responses = try db.query("SELECT id FROM questionnaire_responses WHERE patient_id = ? ORDER BY id",
                                             [.integer(patient.id.rawValue)])
                    .compactMap { try Responses.find(db, id: ResponseID(rawValue: try $0.int("id"))) }
                let subject = Subject(db: db, api: api, patient: patient, responses: responses)
                let rows = try Dictionary(uniqueKeysWithValues: Resource.all.map { ($0.type, try $0.rows(subject)) })
                return Case(kind: kind, cpr: patient.cpr, id: patient.id, rows: rows)
            }
        }
        self.staff = staff
        self.organisations = organisations
        self.subscriptions = subscriptions
    }

    /// The patient's sharing choices, oldest first, that make a patient of `kind`.
    static func choices(_ kind: PatientKind) -> [(Client, SharingChoice.Kind)] {
        var choices: [(Client, SharingChoice.Kind)] = []
        if kind.gpBlocked { choices.append((.gp, .block)) }
        if kind.healthBlocked { choices.append((.municipalHealth, .block)) }
        if kind.departmentBlocked { choices.append((.departmentA, .block)) }
        if kind.consent != .none { choices.append((.socialServices, .consent)) }
        if kind.consent == .withdrawn { choices.append((.socialServices, .withdrawConsent)) }
        if kind.socialBlocked { choices.append((.socialServices, .block)) }
        return choices
    }

    /// A new API client of `client`'s organisation with `system/*.read`, and its token.
    func token(_ client: Client, expiresAt: Date? = nil) async throws -> (StoredAPIClient, String) {
        let organisationID = try #require(organisations[client]).id
        let now = staff.clock.now
        return try await staff.context.database.write { db in
            try APIClients.create(db, organisationID: organisationID, scopes: FHIRAPIApp.readScopes, now: now, expiresAt: expiresAt)
        }
    }

    /// Runs `body` with the application behind a real HTTP server on a free loopback port,
    /// passing the base URL (`http://127.0.0.1:<port>`); the server is shut down afterwards.
    func serving<T>(_ body: (String) async throws -> T) async throws -> T {
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), responder: staff.app)
        let base = "http://127.0.0.1:\(try server.start())"
        do {
            let result = try await body(base)
            await server.shutdown()
            return result
        } catch {
            await server.shutdown()
            throw error
        }
    }
}
