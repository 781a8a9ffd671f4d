import FollowUp
import Foundation
import HTTPCore
import JSON
import Sharing
import Storage
import Testing
@testable import WebApp

/// The staff test application plus API clients and FHIR requests with a bearer token.
struct FHIRAPIApp {
    static let gpSOR = "222222222222222"
    static let readScopes = ["system/*.read"]

    let staff: StaffApp
    let gp: Department

    init() async throws {
        staff = try await StaffApp()
        gp = try await staff.context.database.write { db in
            try Departments.insert(db, sorCode: Self.gpSOR, name: "Lægehuset", phone: "2", kind: .gpClinic)
        }
    }

    var context: AppContext { staff.context }

    /// A new API client of `organisation` (the hospital department by default) and its token.
    func client(_ organisation: Department? = nil, scopes: [String] = readScopes, expiresAt: Date? = nil) async throws -> (StoredAPIClient, String) {
        let now = staff.clock.now
        let organisationID = (organisation ?? staff.department).id
        return try await context.database.write { db in
            try APIClients.create(db, organisationID: organisationID, scopes: scopes, now: now, expiresAt: expiresAt)
        }
    }

    /// A FHIR request with the token (none when nil); `target` may be an absolute link URL.
    func request(_ method: HTTPMethod, _ target: String, token: String?, body: [UInt8] = [],
                 headers extra: [(String, String)] = []) async -> HTTPResponse {
        var headers: HTTPHeaders = ["Host": "localhost", "Accept": "application/fhir+json"]
        if let token { headers.add("Authorization", "Bearer \(token)") }
        if method == .post { headers.add("Content-Type", "application/fhir+json") }
        for (name, value) in extra { headers.set(name, value) }
        let path = target.hasPrefix("http://localhost") ? String(target.dropFirst("http://localhost".count)) : target
        return await staff.app.respond(to: HTTPRequest(method: method, target: path, headers: headers, body: body))
    }

    /// A patient of the department with the GP clinic as GP, enrolled in the COPD plan (so the
    /// department and the GP both have a treatment relation).
    func enrolWithGP(_ name: String, cpr: String) async throws -> (Patient, StoredEnrolment) {
        let now = staff.clock.now
        let department = staff.department
        let plan = try #require(context.latestPlan(id: StaffApp.copd))
        let start = CalendarDay(now, in: context.timeZone).adding(days: -30)
        return try await context.database.write { db in
            let patient = try Patients.insert(db, cpr: cpr, name: name, language: "da", departmentID: department.id,
                                              contact: PatientContact(email: "p@example.org", gpSORCode: Self.gpSOR))
            let enrolment = try Enrolments.enrol(db, patientID: patient.id, departmentID: department.id, planID: plan.id,
                                                 planVersion: plan.version, startDate: start, actor: "test", now: now)
            return (patient, enrolment)
        }
    }

    /// The patient blocks `organisation` now.
    func block(_ patient: Patient, _ organisation: Department) async throws {
        let now = staff.clock.now
        try await context.database.write { db in
            try SharingRecords.record(db, patientID: patient.id, organisation: organisation, kind: .block, at: now, channel: "test", actor: "patient")
        }
    }

    static func json(_ response: HTTPResponse) throws -> JSON {
        try JSON.parse(response.body)
    }

    /// The ids of a Bundle's `match` entries.
    static func ids(_ bundle: JSON) -> [String] {
        (bundle["entry"]?.arrayValue ?? []).filter { $0["search"]?["mode"]?.stringValue == "match" }
            .compactMap { $0["resource"]?["id"]?.stringValue }
    }

    static func link(_ bundle: JSON, _ relation: String) -> String? {
        bundle["link"]?.arrayValue?.first { $0["relation"]?.stringValue == relation }?["url"]?.stringValue
    }
}
