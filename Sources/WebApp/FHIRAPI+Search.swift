import FHIR
import Foundation
import HTTPCore
import JSON
import Sharing
import SQLite
import Storage

/// One search candidate: its resource, the keys it is ordered and paged by, and the patient
/// whose data it is (nil for resources about no patient).
struct FHIRSearchRow {
    let sortKey: String
    let id: String
    let patientID: PatientID?
    /// What kind of patient data it is, for the access policy.
    var data: DataKind = .results
    let resource: JSON
    /// When it happened, for the date criteria (`authored`, `date`, `_lastUpdated`).
    let instant: Date?
}

extension FHIRAPI {
    /// `GET /fhir/<type>?…` (FHIR R4 search.html): a `searchset` Bundle, newest first, paged by
    /// keyset cursors. Rows the client may not see are dropped before anything is counted or
    /// paged; every patient whose data is on the page gets an audit row in the same transaction.
    /// Responses, scores, triage, assessments and patients are searched in SQL
    /// (`indexedPage`); the few questionnaires, organisations, subscriptions, consents and
    /// audit events in memory (`inMemoryPage`).
    func search(_ request: HTTPRequest, typeName: String, caller: FHIRCaller) async throws -> HTTPResponse {
        let type = try FHIRCapabilities.check(typeName, .searchType)
        try requireScope(caller, type, "read")
        let search = try SearchRequest.parse(resourceType: type, query: request.queryItems(),
                                             handling: SearchHandling(preferHeader: request.headers["Prefer"]))
        let now = context.clock()
        let base = baseURL(request)
        let bundle = try await context.database.write { db in
            let (page, total, hasMore) = switch type {
            case .questionnaireResponse, .observation, .clinicalImpression, .patient:
                try indexedPage(db, search, caller: caller, now: now)
            case .questionnaire:
                try inMemoryPage(db, questionnaireRows(db, now: now), search, caller: caller, now: now)
            case .organization:
                try inMemoryPage(db, organizationRows(db, search, now: now), search, caller: caller, now: now)
            case .consent:
                try inMemoryPage(db, consentRows(db, search, caller: caller, now: now), search, caller: caller, now: now)
            case .auditEvent:
                try inMemoryPage(db, auditEventRows(db, search, caller: caller), search, caller: caller, now: now)
            case .subscription:
                try inMemoryPage(db, subscriptionRows(db, caller: caller), search, caller: caller, now: now)
            }
            var audited: Set<String> = []
            for row in page {
                guard let patientID = row.patientID, audited.insert("\(patientID.rawValue) \(row.data)").inserted else { continue }
                _ = try authorise(db, caller, patientID: patientID, data: row.data, what: "\(type.rawValue) search", now: now)
            }
            let links = PageCursor.links(page: page.map { ($0.sortKey, $0.id) }, hasMore: hasMore, current: search.cursor)
            return SearchBundle.make(request: search, baseURL: base, total: total, matches: page.map(\.resource),
                                     includes: try includes(db, page, search, now: now), next: links.next, previous: links.previous)
        }
        return answer(bundle)
    }

    /// A search over rows held in memory (types that are not patient data, or few per
    /// patient): rows the policy hides dropped first, the criteria applied, newest first, the
    /// requested page.
    func inMemoryPage(_ db: Connection, _ candidates: [FHIRSearchRow], _ search: SearchRequest, caller: FHIRCaller,
                      now: Date) throws -> (rows: [FHIRSearchRow], total: Int, hasMore: Bool) {
        var visible: [String: Bool] = [:]
        let rows = try candidates.filter { row in
            guard let patientID = row.patientID else { return true }
            let key = "\(patientID.rawValue) \(row.data)"
            if let known = visible[key] { return known }
            let allowed = try mayRead(db, caller, patientID: patientID, data: row.data, now: now)
            visible[key] = allowed
            return allowed
        }.filter { matches($0, search) }.sorted { ($0.sortKey, $0.id) > ($1.sortKey, $1.id) }
        let (page, hasMore) = Self.page(rows, search)
        return (page, rows.count, hasMore)
    }

    /// The page of `rows` (display order) the request's cursor and `_count` select, and
    /// whether more rows lie beyond it in the direction read.
    static func page(_ rows: [FHIRSearchRow], _ search: SearchRequest) -> ([FHIRSearchRow], Bool) {
        let count = search.count
        guard let cursor = search.cursor else { return (Array(rows.prefix(count)), rows.count > count) }
        let boundary = (cursor.sortKey, cursor.id)
        switch cursor.direction {
        case .next:
            let after = rows.filter { ($0.sortKey, $0.id) < boundary }
            return (Array(after.prefix(count)), after.count > count)
        case .previous:
            let before = rows.filter { ($0.sortKey, $0.id) > boundary }
            return (Array(before.suffix(count)), before.count > count)
        }
    }

    /// Whether a candidate meets the criteria not already applied when it was loaded.
    private func matches(_ row: FHIRSearchRow, _ search: SearchRequest) -> Bool {
        let resource = row.resource
        if !search.ids.isEmpty && !search.ids.contains(row.id) { return false }
        if let instant = row.instant {
            if !search.dates.allSatisfy({ $0.matches(instant) }) || !search.lastUpdated.allSatisfy({ $0.matches(instant) }) { return false }
        }
        if !search.statuses.isEmpty && !search.statuses.contains(resource["status"]?.stringValue ?? "") { return false }
        if let url = search.url, resource["url"]?.stringValue != url { return false }
        if let version = search.version, resource["version"]?.stringValue != version { return false }
        return true
    }

    /// The questionnaire versions served, as search rows.
    private func questionnaireRows(_ db: Connection, now: Date) throws -> [FHIRSearchRow] {
        try context.catalogue.all.map { definition in
            FHIRSearchRow(sortKey: definition.url + "|" + definition.version, id: FHIRResources.questionnaireID(definition), patientID: nil,
                          resource: try stableMeta(db, FHIRResources.questionnaire(definition, lastUpdated: now), now: now), instant: nil)
        }
    }

    /// The patient a criterion names, if any.
    func patient(_ db: Connection, _ criterion: PatientCriterion) throws -> Patient? {
        switch criterion {
        case .cpr(let cpr):
            return try Patients.find(db, cpr: cpr)
        case .resourceID(let id):
            guard case .patient(let patientID)? = DerivedID.target(resourceType: "Patient", id: id) else { return nil }
            return try Patients.find(db, id: patientID)
        }
    }

    /// `_include=QuestionnaireResponse:questionnaire`: the questionnaire versions the page's
    /// responses answer, each once.
    private func includes(_ db: Connection, _ page: [FHIRSearchRow], _ search: SearchRequest, now: Date) throws -> [JSON] {
        guard search.includesQuestionnaire else { return [] }
        var seen: Set<String> = []
        return try page.compactMap { row in
            guard let canonical = row.resource["questionnaire"]?.stringValue, seen.insert(canonical).inserted,
                  let definition = context.catalogue.definition(reference: canonical) else { return nil }
            return try stableMeta(db, FHIRResources.questionnaire(definition, lastUpdated: now), now: now)
        }
    }
}
