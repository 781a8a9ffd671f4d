import FHIR
import Foundation
import JSON
import Sharing
import SQLite
import Storage

/// A search over stored patient data answered by SQL: the criteria, the access policy's
/// verdict and the keyset page all become one query, and only the page's resources are built.
///
/// The rows of every searched type are brought to one shape (`pid`, `at`, `tie`, `row`,
/// `kind`, `status`, `detail`) so dates, ids, status, visibility, order and paging are written
/// once. `at` is a stored time (or a padded row id for Patient) and `tie` breaks ties; both are
/// text in a fixed format, so the order in SQL is the order of the page cursors.
struct IndexedSearch {
    /// A SELECT giving the shared columns for the searched type.
    let source: String
    /// Its bound values, in order.
    let sourceBindings: [SQLValue]
    /// The data kind of each `kind` value, for the access policy.
    let dataKinds: [String: DataKind]

    /// The row kinds a source produces.
    enum Kind {
        static let response = "response"
        static let score = "score"
        static let triage = "triage"
        static let decision = "decision"
        static let patient = "patient"
    }
}

/// Conditions on the shared columns with their bound values.
private struct Conditions {
    var clauses: [String] = []
    var bindings: [SQLValue] = []

    mutating func add(_ clause: String, _ values: [SQLValue] = []) {
        clauses.append(clause)
        bindings += values
    }

    /// `column IN (…)` over a JSON array, so one bound value carries any number of items.
    mutating func add(_ column: String, in values: [String]) {
        add("\(column) IN (SELECT value FROM json_each(?))", [.text(JSON.array(values.map(JSON.string)).serialized())])
    }

    /// One clause that holds when any of `alternatives` does (none: never).
    mutating func add(anyOf alternatives: Conditions) {
        add(alternatives.clauses.isEmpty ? "0" : "(" + alternatives.clauses.joined(separator: " OR ") + ")", alternatives.bindings)
    }

    /// All clauses joined (none: always).
    var sql: String { clauses.isEmpty ? "1" : clauses.joined(separator: " AND ") }
}

extension FHIRAPI {
    /// The rows of a QuestionnaireResponse, Observation, ClinicalImpression or Patient search
    /// the caller may see: how many in all, the requested page in display order (newest
    /// first), and whether more lie beyond it in the direction read.
    ///
    /// Visibility is decided per patient by `AccessPolicy` before anything is counted. Only
    /// patients with a treatment relation to, or a consent naming, the caller's organisation
    /// are asked about: an API client has no other way in (no emergency access), so this
    /// narrowing can hide but never reveal.
    func indexedPage(_ db: Connection, _ search: SearchRequest, caller: FHIRCaller,
                     now: Date) throws -> (rows: [FHIRSearchRow], total: Int, hasMore: Bool) {
        let indexed = try indexedSearch(db, search)
        // Row ids as JSON numbers: `+pid` has no affinity, so text would never equal them.
        var visible: [DataKind: [JSON]] = [:]
        for kind in Set(indexed.dataKinds.values) {
            visible[kind] = try visiblePatients(db, search, caller: caller, data: kind, now: now).map { .number(JSONNumber(Int($0.rawValue))) }
        }
        let kinds = indexed.dataKinds.sorted { $0.key < $1.key }
        // One patient: read their rows by the patient index. Many: walk the time index in
        // page order and stop at the page's end (`+` keeps SQLite off the patient index).
        let patientColumn = search.patient == nil ? "+pid" : "pid"
        var filter = Conditions()
        filter.add("(" + kinds.map { "(kind = '\($0.key)' AND \(patientColumn) IN (SELECT value FROM json_each(?)))" }.joined(separator: " OR ") + ")",
                   kinds.map { .text(JSON.array(visible[$0.value] ?? []).serialized()) })
        for criterion in search.dates + (search.resourceType == .questionnaireResponse ? search.lastUpdated : []) {
            let (from, before) = criterion.bounds
            if let from { filter.add("at >= ?", [.text(Self.storedTimeBound(from))]) }
            if let before { filter.add("at < ?", [.text(Self.storedTimeBound(before))]) }
        }
        if !search.statuses.isEmpty { filter.add("status", in: search.statuses) }

        let selected = "SELECT * FROM (\(indexed.source)) WHERE "
        let total = try db.queryOne("SELECT COUNT(*) AS n FROM (\(indexed.source)) WHERE \(filter.sql)",
                                    indexed.sourceBindings + filter.bindings).map { try $0.int("n") } ?? 0
        var page = filter
        let backwards = search.cursor?.direction == .previous
        if let cursor = search.cursor {
            page.add(backwards ? "(at, tie) > (?, ?)" : "(at, tie) < (?, ?)", [.text(cursor.sortKey), .text(cursor.id)])
        }
        let order = backwards ? "ASC" : "DESC"
        var found = try db.query(selected + page.sql + " ORDER BY at \(order), tie \(order) LIMIT ?",
                                 indexed.sourceBindings + page.bindings + [.integer(Int64(search.count + 1))])
        let hasMore = found.count > search.count
        found = Array(found.prefix(search.count))
        if backwards { found.reverse() }
        let rows = try found.compactMap { row in try searchRow(db, row, dataKinds: indexed.dataKinds) }
        return (rows, Int(total), hasMore)
    }

    /// The text a stored time (whole seconds, `Timestamp.string`) is compared with for a bound
    /// instant: rounded up, since a whole second is at or after `bound` exactly when it is at
    /// or after the bound's next whole second.
    static func storedTimeBound(_ bound: Date) -> String {
        Timestamp.string(Date(timeIntervalSince1970: bound.timeIntervalSince1970.rounded(.up)))
    }

    // MARK: - Sources

    /// The source query of the searched type with the criteria only it has. Observations
    /// join responses to scores with `CROSS JOIN`, which keeps the responses outermost, so the
    /// time index gives the page order.
    private func indexedSearch(_ db: Connection, _ search: SearchRequest) throws -> IndexedSearch {
        var inner = Conditions()
        switch search.resourceType {
        case .questionnaireResponse:
            if !search.ids.isEmpty { inner.add("q.resource_id", in: search.ids) }
            if !search.questionnaires.isEmpty { inner.add(anyOf: questionnaireCondition(search.questionnaires)) }
            if !search.responseIdentifiers.isEmpty { inner.add(anyOf: Self.identifierCondition(search.responseIdentifiers)) }
            return IndexedSearch(source: """
                SELECT q.patient_id AS pid, q.authored AS at, q.resource_id AS tie, q.id AS row, '\(IndexedSearch.Kind.response)' AS kind,
                       json_extract(q.resource_json, '$.status') AS status, NULL AS detail
                FROM questionnaire_responses q WHERE \(inner.sql)
                """, sourceBindings: inner.bindings, dataKinds: [IndexedSearch.Kind.response: .results])
        case .observation:
            inner.add("q.questionnaire_url || '|' || q.questionnaire_version || '|' || s.link_id", in: scoreItemKeys(search.codes))
            if !search.ids.isEmpty { inner.add("q.resource_id || ' ' || s.link_id", in: try observationTies(db, search.ids)) }
            return IndexedSearch(source: """
                SELECT q.patient_id AS pid, q.authored AS at, q.resource_id || ' ' || s.link_id AS tie, q.id AS row,
                       '\(IndexedSearch.Kind.score)' AS kind, 'final' AS status, s.link_id AS detail
                FROM questionnaire_responses q CROSS JOIN response_scores s ON s.response_id = q.id
                WHERE s.value IS NOT NULL AND \(inner.sql)
                """, sourceBindings: inner.bindings, dataKinds: [IndexedSearch.Kind.score: .results])
        case .clinicalImpression:
            var outer = Conditions()
            if !search.ids.isEmpty { outer.add("tie", in: search.ids) }
            return IndexedSearch(source: """
                SELECT * FROM (
                    SELECT q.patient_id AS pid, q.authored AS at, 'ci-triage-' || q.resource_id AS tie, q.id AS row,
                           '\(IndexedSearch.Kind.triage)' AS kind, 'completed' AS status, NULL AS detail
                    FROM questionnaire_responses q JOIN response_triage t ON t.response_id = q.id
                    UNION ALL
                    SELECT d.patient_id, d.decided_at, 'ci-decision-' || d.id, d.id, '\(IndexedSearch.Kind.decision)',
                           CASE WHEN EXISTS (SELECT 1 FROM decisions c WHERE c.corrects = d.id) THEN 'entered-in-error' ELSE 'completed' END,
                           NULL
                    FROM decisions d
                ) WHERE \(outer.sql)
                """, sourceBindings: outer.bindings,
                dataKinds: [IndexedSearch.Kind.triage: .results, IndexedSearch.Kind.decision: .decisions])
        case .patient:
            if let cpr = search.identifier { inner.add("p.cpr = ?", [.text(cpr)]) }
            if !search.ids.isEmpty {
                inner.add("p.id", in: search.ids.compactMap { id in
                    guard case .patient(let patientID)? = DerivedID.target(resourceType: "Patient", id: id) else { return nil }
                    return String(patientID.rawValue)
                })
            }
            return IndexedSearch(source: """
                SELECT p.id AS pid, printf('%020d', p.id) AS at, '' AS tie, p.id AS row, '\(IndexedSearch.Kind.patient)' AS kind,
                       NULL AS status, NULL AS detail
                FROM patients p WHERE \(inner.sql)
                """, sourceBindings: inner.bindings, dataKinds: [IndexedSearch.Kind.patient: .identity])
        case .questionnaire, .organization, .subscription, .consent, .auditEvent:
            preconditionFailure("\(search.resourceType) is searched in memory")
        }
    }

    /// `questionnaire` criteria as SQL over `q`: a canonical as url (and version), a
    /// `Questionnaire/<id>` as the loaded version it names (none when no loaded one has it).
    private func questionnaireCondition(_ criteria: [QuestionnaireCriterion]) -> Conditions {
        var alternatives = Conditions()
        for criterion in criteria {
            switch criterion {
            case .canonical(let url, nil):
                alternatives.add("q.questionnaire_url = ?", [.text(url)])
            case .canonical(let url, let version?):
                alternatives.add("(q.questionnaire_url = ? AND q.questionnaire_version = ?)", [.text(url), .text(version)])
            case .resourceID(let id):
                if let definition = context.catalogue.all.first(where: { FHIRResources.questionnaireID($0) == id }) {
                    alternatives.add("(q.questionnaire_url = ? AND q.questionnaire_version = ?)", [.text(definition.url), .text(definition.version)])
                }
            }
        }
        return alternatives
    }

    /// `identifier` tokens over `q.resource_json`, in the shape of the expression index
    /// `questionnaire_responses_by_identifier` so the index serves them.
    private static func identifierCondition(_ tokens: [TokenCriterion]) -> Conditions {
        let value = "json_extract(q.resource_json, '$.identifier.value')"
        let system = "json_extract(q.resource_json, '$.identifier.system')"
        var alternatives = Conditions()
        for token in tokens {
            var parts = Conditions()
            if let code = token.code { parts.add("\(value) = ?", [.text(code)]) }
            switch token.system {
            case .any: break
            case .none: parts.add("\(system) IS NULL")
            case .exactly(let wanted): parts.add("\(system) = ?", [.text(wanted)])
            }
            alternatives.add("(\(parts.sql))", parts.bindings)
        }
        return alternatives
    }

    /// `url|version|linkId` of every score item of the loaded questionnaires whose
    /// Observation `code` matches any of `codes` (all score items when there are none): scores
    /// of versions no longer loaded give no Observation, so they are not counted either.
    private func scoreItemKeys(_ codes: [TokenCriterion]) -> [String] {
        context.catalogue.all.flatMap { definition in
            FHIRResources.scoreCodes(definition).filter { item in
                codes.isEmpty || codes.contains { $0.matches(codeableConcept: item.code) }
            }.map { "\(definition.url)|\(definition.version)|\($0.linkId)" }
        }
    }

    /// The `tie` (`<response id> <linkId>`) of each Observation id that names a stored score.
    private func observationTies(_ db: Connection, _ ids: [String]) throws -> [String] {
        try ids.compactMap { id in
            guard case .observationOfResponse(let responseID)? = DerivedID.target(resourceType: "Observation", id: id),
                  let response = try Responses.find(db, resourceID: responseID) else { return nil }
            return try ScoreRecords.find(db, responseID: response.id).keys
                .first { FHIRResources.observationID(response: response, linkId: $0) == id }
                .map { "\(responseID) \($0)" }
        }
    }

    // MARK: - Visibility and resources

    /// The patients whose `data` the caller may see: the searched one, or every patient
    /// related to (or consenting to) the caller's organisation that the policy allows.
    private func visiblePatients(_ db: Connection, _ search: SearchRequest, caller: FHIRCaller, data: DataKind,
                                 now: Date) throws -> [PatientID] {
        if let criterion = search.patient {
            return try patient(db, criterion).map { [$0.id] }?.filter { try mayRead(db, caller, patientID: $0, data: data, now: now) } ?? []
        }
        return try SharingRecords.statesReachable(from: caller.department.id, db).compactMap { patientID, state in
            AccessPolicy.decide(actor: .apiClient(caller.policyClient), patient: state, data: data, now: now).isAllowed ? patientID : nil
        }
    }

    /// The resource of one selected row.
    private func searchRow(_ db: Connection, _ row: Row, dataKinds: [String: DataKind]) throws -> FHIRSearchRow? {
        let kind = try row.string("kind")
        let rowID = try row.int("row")
        let patientID = PatientID(rawValue: try row.int("pid"))
        let resource: JSON?
        switch kind {
        case IndexedSearch.Kind.response:
            resource = try Responses.find(db, id: ResponseID(rawValue: rowID)).map { try FHIRResources.questionnaireResponse($0) }
        case IndexedSearch.Kind.score:
            let linkId = try row.string("detail")
            resource = try Responses.find(db, id: ResponseID(rawValue: rowID)).flatMap { response in
                try observations(db, response).first { $0["id"]?.stringValue == FHIRResources.observationID(response: response, linkId: linkId) }
            }
        case IndexedSearch.Kind.triage:
            resource = try Responses.find(db, id: ResponseID(rawValue: rowID)).flatMap { try triageImpression(db, $0) }
        case IndexedSearch.Kind.decision:
            let id = DerivedID.decision(DecisionID(rawValue: rowID)).resourceID
            resource = try assessments(db, patientID).first { $0.json["id"]?.stringValue == id }?.json
        default:
            let now = context.clock()
            resource = try Patients.find(db, id: patientID).map { try stableMeta(db, FHIRResources.patient($0, lastUpdated: now), now: now) }
        }
        guard let resource else { return nil }
        return FHIRSearchRow(sortKey: try row.string("at"), id: try row.string("tie"), patientID: patientID,
                             data: dataKinds[kind] ?? .results, resource: resource, instant: nil)
    }
}
