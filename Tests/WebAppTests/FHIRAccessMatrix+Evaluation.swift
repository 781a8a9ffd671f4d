import JSON
import Sharing

extension FHIRAccessMatrix {
    /// Every way `run` differs from what `rule` says, one line per failed check:
    /// - a read answers 200 with the resource exactly when allowed, else 404 with the same
    ///   OperationOutcome (and media type) as a read of an id that does not exist; a conditional
    ///   read (`If-None-Match: *`) 304 when allowed and that same 404 when not;
    /// - a search naming a patient counts and lists exactly the visible rows; when none are,
    ///   the Bundle is the one a search for an unknown CPR or Patient id gets;
    /// - a search naming no patient counts and lists exactly the visible rows of all patients,
    ///   on exactly as many pages as they fill;
    /// - every allowed read (plain and conditional) left one `read` audit row with the client
    ///   as actor and a legal basis, every refused one a `denied` row and no `read` row; a client leaves no other
    ///   `denied` rows, no `read` row about a patient it may see nothing of, and every row names
    ///   the client's organisation and mapped role.
    func mismatches(_ run: Run, under rule: Rule) -> [String] {
        var found: [String] = []
        for read in run.reads {
            if let problem = readProblem(read, run, rule) {
                found.append("\(read.client.rawValue) read \(read.type)/\(read.row.id) of \(cases[read.patient].kind): \(problem)")
            }
            if let problem = conditionalReadProblem(read, run, rule) {
                found.append("\(read.client.rawValue) conditional read \(read.type)/\(read.row.id) of \(cases[read.patient].kind): \(problem)")
            }
            if let problem = auditProblem(read, run, rule) {
                found.append("\(read.client.rawValue) audit of \(read.type)/\(read.row.id) of \(cases[read.patient].kind): \(problem)")
            }
        }
        for search in run.searches {
            if let problem = searchProblem(search, run, rule) {
                let about = search.patient.map { "by \(search.parameter.map(String.init(describing:)) ?? "") of \(cases[$0].kind)" }
                    ?? "naming no patient"
                found.append("\(search.client.rawValue) search \(search.type) \(about): \(problem)")
            }
        }
        for client in Client.allCases {
            found += clientAuditProblems(client, run, rule).map { "\(client.rawValue) audit: \($0)" }
        }
        return found
    }

    /// Every organisation whose subscription was not queued exactly one notification per
    /// response it may read under `rule` (and none about anyone else), one line each.
    func pushMismatches(_ deliveries: [Client: [String]], under rule: Rule) -> [String] {
        Client.allCases.compactMap { client in
            let expected = cases.flatMap { $0.visible("QuestionnaireResponse", to: client, under: rule) }.map(\.id)
            let queued = deliveries[client] ?? []
            guard queued.count != expected.count || Set(queued) != Set(expected) else { return nil }
            return "\(client.rawValue) push: \(queued.count) notifications, expected \(expected.count); "
                + "about responses it may not read: \(Set(queued).subtracting(expected).sorted())"
        }
    }

    // MARK: - Reads

    private func readProblem(_ read: Read, _ run: Run, _ rule: Rule) -> String? {
        let answer = read.answer
        if rule.mayRead(read.client, cases[read.patient].kind, read.row.data) {
            guard answer.status == 200 else { return "\(answer.status), expected 200" }
            let resource = try? JSON.parse(answer.body)
            guard resource?["resourceType"]?.stringValue == read.type, resource?["id"]?.stringValue == read.row.id else {
                return "200 without the resource"
            }
            return nil
        }
        return refusalProblem(answer, read, run)
    }

    private func conditionalReadProblem(_ read: Read, _ run: Run, _ rule: Rule) -> String? {
        let answer = read.conditional
        if rule.mayRead(read.client, cases[read.patient].kind, read.row.data) {
            return answer.status == 304 && answer.body.isEmpty ? nil : "\(answer.status), expected 304"
        }
        return refusalProblem(answer, read, run)
    }

    /// Whether a refused read's answer is exactly the 404 of an id that does not exist.
    private func refusalProblem(_ answer: CurlBatch.Answer, _ read: Read, _ run: Run) -> String? {
        guard answer.status == 404 else { return "\(answer.status), expected 404" }
        guard let unknown = run.unknownReads[read.client]?[read.type] else { return "no read of an unknown id to compare with" }
        guard (try? JSON.parse(unknown.body))?["resourceType"]?.stringValue == "OperationOutcome" else {
            return "an unknown id is not answered with an OperationOutcome"
        }
        guard answer.contentType == unknown.contentType,
              answer.body.replacingOccurrences(of: read.row.id, with: "{id}")
                == unknown.body.replacingOccurrences(of: Self.unknownID, with: "{id}") else {
            return "the 404 differs from an unknown id's: \(answer.body)"
        }
        return nil
    }

    // MARK: - Searches

    private func searchProblem(_ search: Search, _ run: Run, _ rule: Rule) -> String? {
        let expected = (search.patient.map { [cases[$0]] } ?? cases).flatMap { $0.visible(search.type, to: search.client, under: rule) }
        guard search.pages.allSatisfy({ $0.status == 200 }) else { return "statuses \(search.pages.map(\.status)), expected 200" }
        let bundles = search.pages.compactMap { try? JSON.parse($0.body) }
        guard bundles.count == search.pages.count, let total = bundles.first?["total"]?.intValue else { return "not a Bundle with a total" }
        let ids = bundles.flatMap(FHIRAPIApp.ids)
        let expectedIDs = Set(expected.map(\.id))
        let hidden = ids.filter { !expectedIDs.contains($0) }
        guard total == expected.count, ids.count == expected.count, Set(ids) == expectedIDs else {
            return "total \(total) and \(ids.count) entries, expected \(expected.count); entries it may not see: \(hidden)"
        }
        if search.patient == nil && search.pages.count != max(1, (expected.count + Self.pageSize - 1) / Self.pageSize) {
            return "\(search.pages.count) pages of \(Self.pageSize) for \(expected.count) rows"
        }
        if let patient = search.patient, expected.isEmpty {
            guard let unknown = run.unknownSearches[search.client]?[search.unknownKey] else { return "no search for nobody to compare with" }
            let named = search.pages[0].body.replacingOccurrences(of: cases[patient].cpr, with: "{cpr}")
                .replacingOccurrences(of: Resource.patientID(cases[patient].id), with: "{patient}")
            let nobody = unknown.body.replacingOccurrences(of: Self.unknownCPR, with: "{cpr}")
                .replacingOccurrences(of: Self.unknownPatientID, with: "{patient}")
            guard named == nobody else { return "the empty Bundle differs from a search for nobody: \(search.pages[0].body)" }
        }
        return nil
    }

    // MARK: - Audit

    /// The client's audit rows about one patient's read of `read.row`: one per request (the
    /// plain and the conditional read).
    private func auditProblem(_ read: Read, _ run: Run, _ rule: Rule) -> String? {
        let patientID = cases[read.patient].id.rawValue
        let rows = run.audit.filter { $0.actorID == run.clientIDs[read.client] && $0.patientID == patientID }
        let allowed = rows.filter { $0.action == "read" && $0.what == "\(read.type)/\(read.row.id)" }
        let denied = rows.filter { $0.action == "denied" && $0.detail == "/fhir/\(read.type)/\(read.row.id)" }
        if rule.mayRead(read.client, cases[read.patient].kind, read.row.data) {
            guard allowed.count == 2, denied.isEmpty, allowed.allSatisfy({ $0.outcome == "allowed" && $0.legalBasis != nil }) else {
                return "\(allowed.count) allowed and \(denied.count) denied rows, expected two allowed rows with a legal basis"
            }
        } else {
            guard denied.count == 2, allowed.isEmpty, denied.allSatisfy({ $0.outcome.hasPrefix("denied:") }) else {
                return "\(allowed.count) allowed and \(denied.count) denied rows, expected two denied rows"
            }
        }
        return nil
    }

    /// Rows of the client that no single read accounts for.
    private func clientAuditProblems(_ client: Client, _ run: Run, _ rule: Rule) -> [String] {
        let rows = run.audit.filter { $0.actorID == run.clientIDs[client] }
        var problems: [String] = []
        let refused = 2 * run.reads.filter { $0.client == client && !rule.mayRead(client, cases[$0.patient].kind, $0.row.data) }.count
        let denied = rows.filter { $0.action == "denied" }.count
        if denied != refused { problems.append("\(denied) denied rows for \(refused) refused reads") }
        let sor = organisations[client]?.sorCode ?? ""
        if let wrong = rows.first(where: { $0.role != client.role.rawValue || $0.organisationSOR != sor }) {
            problems.append("a row as \(wrong.role) of \(wrong.organisationSOR), expected \(client.role.rawValue) of \(sor)")
        }
        for patient in cases where !DataKind.patientLevel.contains(where: { rule.mayRead(client, patient.kind, $0) }) {
            let reads = rows.filter { $0.patientID == patient.id.rawValue && $0.action == "read" }
            if !reads.isEmpty { problems.append("\(reads.count) read rows about \(patient.kind), which it may not see: \(reads.map(\.what))") }
        }
        return problems
    }
}

extension DataKind {
    /// The kinds of data about one patient that the matrix's resources carry.
    static let patientLevel: [DataKind] = [.results, .identity, .decisions]
}
