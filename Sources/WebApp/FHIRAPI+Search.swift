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
    func search(_ request: HTTPRequest, typeName: String, caller: FHIRCaller) async throws -> HTTPResponse {
        let type = try FHIRCapabilities.check(typeName, .searchType)
        try requireScope(caller, type, "read")
        let search = try SearchRequest.parse(resourceType: type, query: request.queryItems(),
                                             handling: SearchHandling(preferHeader: request.headers["Prefer"]))
        let now = context.clock()
        let base = baseURL(request)
        let bundle = try await context.database.write { db in
            var visible: [String: Bool] = [:]
            let rows = try candidates(db, search, now: now).filter { row in
                guard let patientID = row.patientID else { return true }
                let key = "\(patientID.rawValue) \(row.data)"
                if let known = visible[key] { return known }
                let allowed = try mayRead(db, caller, patientID: patientID, data: row.data, now: now)
                visible[key] = allowed
                return allowed
            }.filter { matches($0, search) }
                .sorted { ($0.sortKey, $0.id) > ($1.sortKey, $1.id) }
            let (page, hasMore) = Self.page(rows, search)
            var audited: Set<String> = []
            for row in page {
                guard let patientID = row.patientID, audited.insert("\(patientID.rawValue) \(row.data)").inserted else { continue }
                _ = try authorise(db, caller, patientID: patientID, data: row.data, what: "\(type.rawValue) search", now: now)
            }
            let links = PageCursor.links(page: page.map { ($0.sortKey, $0.id) }, hasMore: hasMore, current: search.cursor)
            return SearchBundle.make(request: search, baseURL: base, total: rows.count, matches: page.map(\.resource),
                                     includes: includes(page, search, now: now), next: links.next, previous: links.previous)
        }
        return answer(bundle)
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
        if !search.codes.isEmpty, let code = resource["code"], !search.codes.contains(where: { $0.matches(codeableConcept: code) }) { return false }
        if let url = search.url, resource["url"]?.stringValue != url { return false }
        if let version = search.version, resource["version"]?.stringValue != version { return false }
        if !search.questionnaires.isEmpty {
            let canonical = resource["questionnaire"]?.stringValue ?? ""
            let parts = canonical.split(separator: "|", maxSplits: 1).map(String.init)
            let matchesAny = search.questionnaires.contains { criterion in
                switch criterion {
                case .canonical(let url, let version):
                    return parts.first == url && (version == nil || (parts.count > 1 && parts[1] == version))
                case .resourceID(let id):
                    return context.catalogue.all.contains { FHIRResources.questionnaireID($0) == id && canonical == "\($0.url)|\($0.version)" }
                }
            }
            if !matchesAny { return false }
        }
        return true
    }

    /// Every candidate of the searched type, narrowed by patient in SQL where it can be.
    private func candidates(_ db: Connection, _ search: SearchRequest, now: Date) throws -> [FHIRSearchRow] {
        switch search.resourceType {
        case .questionnaireResponse:
            return try responses(db, search).map { response in
                FHIRSearchRow(sortKey: Timestamp.string(response.authored), id: response.resourceID, patientID: response.patientID,
                              resource: try FHIRResources.questionnaireResponse(response), instant: response.authored)
            }
        case .observation:
            return try responses(db, search).flatMap { response in
                try observations(db, response).map { observation in
                    FHIRSearchRow(sortKey: Timestamp.string(response.authored), id: observation["id"]?.stringValue ?? "",
                                  patientID: response.patientID, resource: observation, instant: response.authored)
                }
            }
        case .clinicalImpression:
            let triage = try responses(db, search).compactMap { response in
                try triageImpression(db, response).map { impression in
                    FHIRSearchRow(sortKey: Timestamp.string(response.authored), id: impression["id"]?.stringValue ?? "",
                                  patientID: response.patientID, resource: impression, instant: response.authored)
                }
            }
            return try triage + decidedPatients(db, search).flatMap { patientID in
                try assessments(db, patientID).map { assessment in
                    FHIRSearchRow(sortKey: Timestamp.string(assessment.decidedAt), id: assessment.json["id"]?.stringValue ?? "",
                                  patientID: patientID, data: .decisions, resource: assessment.json, instant: assessment.decidedAt)
                }
            }
        case .patient:
            let patients: [Patient]
            if let criterion = search.identifier.map(PatientCriterion.cpr) ?? search.patient {
                patients = try patient(db, criterion).map { [$0] } ?? []
            } else {
                patients = try db.query("SELECT id FROM patients").compactMap { try Patients.find(db, id: PatientID(rawValue: try $0.int("id"))) }
            }
            return patients.map { patient in
                let resource = FHIRResources.patient(patient, lastUpdated: now)
                return FHIRSearchRow(sortKey: String(format: "%020lld", patient.id.rawValue), id: resource["id"]?.stringValue ?? "",
                                     patientID: patient.id, data: .identity, resource: resource, instant: nil)
            }
        case .questionnaire:
            return context.catalogue.all.map { definition in
                FHIRSearchRow(sortKey: definition.url + "|" + definition.version, id: FHIRResources.questionnaireID(definition), patientID: nil,
                              resource: FHIRResources.questionnaire(definition, lastUpdated: now), instant: nil)
            }
        case .organization, .subscription:
            return []
        }
    }

    /// The stored responses of the searched patient (all when no patient is named; none when
    /// the named patient is unknown).
    private func responses(_ db: Connection, _ search: SearchRequest) throws -> [StoredResponse] {
        let rows: [Row]
        if let criterion = search.patient {
            guard let patient = try patient(db, criterion) else { return [] }
            rows = try db.query("SELECT id FROM questionnaire_responses WHERE patient_id = ?", [.integer(patient.id.rawValue)])
        } else {
            rows = try db.query("SELECT id FROM questionnaire_responses")
        }
        return try rows.compactMap { try Responses.find(db, id: ResponseID(rawValue: try $0.int("id"))) }
    }

    /// The patients with clinician decisions: the searched one, or all.
    private func decidedPatients(_ db: Connection, _ search: SearchRequest) throws -> [PatientID] {
        if let criterion = search.patient { return try patient(db, criterion).map { [$0.id] } ?? [] }
        return try db.query("SELECT DISTINCT patient_id FROM decisions").map { PatientID(rawValue: try $0.int("patient_id")) }
    }

    /// The patient a criterion names, if any.
    private func patient(_ db: Connection, _ criterion: PatientCriterion) throws -> Patient? {
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
    private func includes(_ page: [FHIRSearchRow], _ search: SearchRequest, now: Date) -> [JSON] {
        guard search.includesQuestionnaire else { return [] }
        var seen: Set<String> = []
        return page.compactMap { row in
            guard let canonical = row.resource["questionnaire"]?.stringValue, seen.insert(canonical).inserted,
                  let definition = context.catalogue.definition(reference: canonical) else { return nil }
            return FHIRResources.questionnaire(definition, lastUpdated: now)
        }
    }
}
