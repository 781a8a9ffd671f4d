import Foundation
import JSON
import SQLite
import Storage
@testable import WebApp

extension FHIRAccessMatrix {
    /// A read of one of a patient's rows and what came back, plainly and with
    /// `If-None-Match: *` (a conditional read, which must not tell a refusal apart either).
    struct Read: Sendable {
        let client: Client
        let patient: Int
        let type: String
        let row: Row
        let answer: CurlBatch.Answer
        let conditional: CurlBatch.Answer
    }

    /// A search (naming one patient in one way, or naming none) and every page that came back.
    struct Search: Sendable {
        let client: Client
        /// The index of the searched patient in `cases`; nil for a search naming no patient.
        let patient: Int?
        let type: String
        /// How the patient was named; nil for a search naming no patient.
        let parameter: PatientParameter?
        let pages: [CurlBatch.Answer]

        /// The key of the matching search for nobody in `Run.unknownSearches`.
        var unknownKey: String { Self.key(type, parameter) }

        static func key(_ type: String, _ parameter: PatientParameter?) -> String {
            "\(type)?\(parameter.map(String.init(describing:)) ?? "")"
        }
    }

    /// One API-client row of `audit_events`.
    struct AuditRow: Sendable {
        let actorID: String
        let role: String
        let organisationSOR: String
        let patientID: Int64?
        let action: String
        let what: String
        let outcome: String
        let legalBasis: String?
        let detail: String?
    }

    /// Everything the clients were answered, and the audit trail it left.
    struct Run: Sendable {
        var reads: [Read] = []
        var searches: [Search] = []
        /// Per client and type: the answer to a read of `unknownID`.
        var unknownReads: [Client: [String: CurlBatch.Answer]] = [:]
        /// Per client and `Search.unknownKey`: the answer to a search for `unknownCPR` or `unknownPatientID`.
        var unknownSearches: [Client: [String: CurlBatch.Answer]] = [:]
        var clientIDs: [Client: String] = [:]
        var audit: [AuditRow] = []
    }

    /// One request of a client's batch.
    private enum Probe {
        case read(patient: Int, type: String, row: Row)
        case patientSearch(patient: Int, type: String, parameter: PatientParameter)
        case unknownRead(type: String)
        case unknownSearch(type: String, parameter: PatientParameter)
    }

    /// `_count` of the searches naming no patient: small, so every such search pages and the
    /// rows a client may not see lie between the pages.
    static let pageSize = 5
    /// `_count` of the searches naming a patient: every row of one patient fits one page.
    static let patientPageSize = 100
    /// Pages followed at most, against a `next` link that never ends.
    static let maximumPages = 100
    /// The server's per-client rate limit (its defaults).
    static let limits = FHIRRateLimiter()

    /// Every client reads every row of every patient (plainly and conditionally), searches
    /// naming every patient in every supported way and naming none (following `next` links to
    /// the end), and reads and searches for nothing that exists, all through curl at `base`;
    /// then the audit rows are collected.
    func ask(_ base: String) async throws -> Run {
        var run = Run()
        for client in Client.allCases {
            let (stored, token) = try await token(client)
            run.clientIDs[client] = String(stored.id.rawValue)
            let headers = ["Authorization: Bearer \(token)", "Accept: application/fhir+json"]
            let probes = Resource.all.flatMap { resource in
                [Probe.unknownRead(type: resource.type)]
                    + resource.patientParameters.map { Probe.unknownSearch(type: resource.type, parameter: $0) }
            } + cases.indices.flatMap { index in
                Resource.all.flatMap { resource in
                    (cases[index].rows[resource.type] ?? []).map { Probe.read(patient: index, type: resource.type, row: $0) }
                        + resource.patientParameters.map { Probe.patientSearch(patient: index, type: resource.type, parameter: $0) }
                }
            }
            let answers = try await get(probes.map { base + target($0) }, headers: headers)
            let reads = probes.filter { if case .read = $0 { true } else { false } }
            let conditional = try await get(reads.map { base + target($0) }, headers: headers + ["If-None-Match: *"])
            var readIndex = 0
            for (probe, answer) in zip(probes, answers) {
                switch probe {
                case .read(let patient, let type, let row):
                    run.reads.append(Read(client: client, patient: patient, type: type, row: row, answer: answer,
                                          conditional: conditional[readIndex]))
                    readIndex += 1
                case .patientSearch(let patient, let type, let parameter):
                    run.searches.append(Search(client: client, patient: patient, type: type, parameter: parameter, pages: [answer]))
                case .unknownRead(let type):
                    run.unknownReads[client, default: [:]][type] = answer
                case .unknownSearch(let type, let parameter):
                    run.unknownSearches[client, default: [:]][Search.key(type, parameter)] = answer
                }
            }
            for resource in Resource.all {
                run.searches.append(Search(client: client, patient: nil, type: resource.type, parameter: nil,
                                           pages: try await pages(base + "/fhir/\(resource.type)?_count=\(Self.pageSize)", headers: headers)))
            }
        }
        run.audit = try auditRows()
        return run
    }

    /// The request path of a probe.
    private func target(_ probe: Probe) -> String {
        switch probe {
        case .read(_, let type, let row): "/fhir/\(type)/\(row.id)"
        case .patientSearch(let patient, let type, let parameter):
            "/fhir/\(type)?\(parameter.query(cpr: cases[patient].cpr, patientID: Resource.patientID(cases[patient].id)))&_count=\(Self.patientPageSize)"
        case .unknownRead(let type): "/fhir/\(type)/\(Self.unknownID)"
        case .unknownSearch(let type, let parameter):
            "/fhir/\(type)?\(parameter.query(cpr: Self.unknownCPR, patientID: Self.unknownPatientID))&_count=\(Self.patientPageSize)"
        }
    }

    /// Every page of a search, following `next` links.
    private func pages(_ first: String, headers: [String]) async throws -> [CurlBatch.Answer] {
        var pages: [CurlBatch.Answer] = []
        var next: String? = first
        while let url = next, pages.count < Self.maximumPages {
            let page = try await get([url], headers: headers)[0]
            pages.append(page)
            next = (try? JSON.parse(page.body)).flatMap { FHIRAPIApp.link($0, "next") }
        }
        return pages
    }

    /// GETs in batches no larger than half the rate limiter's burst, moving the test clock on
    /// by a full refill before each, so the per-client limit never answers 429 here.
    private func get(_ urls: [String], headers: [String]) async throws -> [CurlBatch.Answer] {
        let batch = Int(Self.limits.burst) / 2
        var answers: [CurlBatch.Answer] = []
        for start in stride(from: 0, to: urls.count, by: batch) {
            staff.clock.advance(by: Self.limits.burst / Self.limits.perSecond)
            answers += try await CurlBatch.get(Array(urls[start..<min(start + batch, urls.count)]), headers: headers)
        }
        return answers
    }

    /// Per client: the responses its subscription was queued a notification about, oldest first.
    func queuedDeliveries() throws -> [Client: [String]] {
        try staff.context.database.read { db in
            try subscriptions.mapValues { subscription in
                try db.query("SELECT response_resource_id FROM subscription_deliveries WHERE subscription_id = ? ORDER BY id",
                             [.integer(subscription.rawValue)]).map { try $0.string("response_resource_id") }
            }
        }
    }

    /// Every audit row written for an API client, oldest first.
    func auditRows() throws -> [AuditRow] {
        try staff.context.database.read { db in
            try db.query("SELECT * FROM audit_events WHERE actor_kind = 'api-client' ORDER BY id").map { row in
                AuditRow(actorID: try row.optionalString("actor_id") ?? "", role: try row.optionalString("actor_role") ?? "",
                         organisationSOR: try row.optionalString("organisation_sor") ?? "", patientID: try row.optionalInt("patient_id"),
                         action: try row.string("action"), what: try row.string("what"), outcome: try row.string("outcome"),
                         legalBasis: try row.optionalString("legal_basis"), detail: try row.optionalString("detail"))
            }
        }
    }
}
