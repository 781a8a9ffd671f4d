import FollowUp
import Foundation
import HTTPCore
import Storage
import Templating

/// The worklist page: the department's running enrolments in triage order, filtered by a GET
/// form, sortable by column, with claiming and the bulk acknowledgement of greens.
extension StaffPages {
    /// The query of the worklist page, read leniently: an unknown value means "any".
    struct WorklistQuery {
        var planID = ""
        var categories: Set<WorklistCategory> = []
        var dateField: WorklistFilter.DateField = .answeredAt
        var from: CalendarDay?
        var to: CalendarDay?
        var assigned = "anyone"
        var search = ""
        var sort: Worklist.Column?
        var ascending = true

        init(_ items: [(name: String, value: String)]) {
            for (name, value) in items {
                switch name {
                case "plan": planID = value
                case "category": if let category = WorklistCategory.allCases.first(where: { $0.code == value }) { categories.insert(category) }
                case "datefield": dateField = WorklistFilter.DateField(rawValue: value) ?? .answeredAt
                case "from": from = CalendarDay(iso: value)
                case "to": to = CalendarDay(iso: value)
                case "assigned": assigned = ["me", "unassigned"].contains(value) ? value : "anyone"
                case "q": search = String(value.prefix(100))
                case "sort": sort = Worklist.Column(rawValue: value)
                case "dir": ascending = value != "desc"
                default: break
                }
            }
        }

        func filter(me: String, timeZone: TimeZone) -> WorklistFilter {
            let range = (from != nil || to != nil)
                ? WorklistFilter.DateRange(field: dateField, from: from.map { $0.instant(hour: 0, in: timeZone) },
                                           to: to.map { $0.adding(days: 1).instant(hour: 0, in: timeZone) })
                : nil
            let assignment: WorklistFilter.Assignment = switch assigned {
            case "me": .clinician(me)
            case "unassigned": .unassigned
            default: .anyone
            }
            return WorklistFilter(planIDs: planID.isEmpty ? [] : [planID], categories: categories, dateRange: range,
                                  assignment: assignment, search: search)
        }

        /// The filter part of the query, to keep in sort links and after a POST.
        var filterItems: [(String, String)] {
            var items: [(String, String)] = []
            if !planID.isEmpty { items.append(("plan", planID)) }
            for category in WorklistCategory.allCases where categories.contains(category) { items.append(("category", category.code)) }
            if from != nil || to != nil { items.append(("datefield", dateField.rawValue)) }
            if let from { items.append(("from", from.description)) }
            if let to { items.append(("to", to.description)) }
            if assigned != "anyone" { items.append(("assigned", assigned)) }
            if !search.isEmpty { items.append(("q", search)) }
            return items
        }

        var target: String {
            var items = filterItems
            if let sort { items += [("sort", sort.rawValue), ("dir", ascending ? "asc" : "desc")] }
            return Self.url(items)
        }

        static func url(_ items: [(String, String)]) -> String {
            items.isEmpty ? "/staff/worklist" : "/staff/worklist?" + items.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
        }
    }

    func worklist(_ request: HTTPRequest, _ signedIn: SignedIn) throws -> HTTPResponse {
        let language = signedIn.language
        let query = WorklistQuery(request.queryItems())
        let now = context.clock()
        let builder = StaffWorklist(context: context, now: now)
        let entries = try context.database.read { db in try builder.entries(db, departmentID: signedIn.account.departmentID) }
        let byID = Dictionary(uniqueKeysWithValues: entries.map { ($0.row.id, $0) })
        var rows = Worklist.filtered(Worklist.triageOrdered(entries.map(\.row)),
                                     by: query.filter(me: signedIn.account.displayName, timeZone: context.timeZone))
        if let sort = query.sort { rows = Worklist.sorted(rows, by: sort, ascending: query.ascending) }
        let format = self.format(language)
        let staff = try context.database.read { db in try StaffAccounts.inDepartment(db, signedIn.account.departmentID) }
        let back = query.target
        let rowValues: [TemplateValue] = rows.compactMap { byID[$0.id] }.map { entry in
            worklistRow(entry, language: language, format: format, now: now, staff: staff, signedIn: signedIn, back: back)
        }
        let greens = rows.compactMap { byID[$0.id] }.filter { !$0.acknowledgeable.isEmpty }
        let columns: [(Worklist.Column, StaffText)] = [(.patientName, .columnPatient), (.cpr, .columnCPR), (.plan, .columnPlan),
                                                       (.category, .columnCategory), (.answeredAt, .columnAnswered),
                                                       (.deadline, .columnDeadline), (.assignedClinician, .columnAssigned),
                                                       (.lastContact, .columnLastContact)]
        let headers: [TemplateValue] = columns.map { column, label in
            let sorted = query.sort == column
            let nextAscending = sorted ? !query.ascending : true
            var object: [String: TemplateValue] = [
                "label": .string(label.text(language)),
                "href": .string(WorklistQuery.url(query.filterItems + [("sort", column.rawValue), ("dir", nextAscending ? "asc" : "desc")])),
            ]
            if sorted { object["ariaSort"] = .string(query.ascending ? "ascending" : "descending") }
            return .object(object)
        }
        let plans = latestPlans()
        let content: TemplateValue = .object([
            "t": StaffText.labels(language),
            "csrf": .string(signedIn.session.csrfToken),
            "back": .string(back),
            "headers": .array(headers),
            "rows": .array(rowValues),
            "hasRows": .bool(!rowValues.isEmpty),
            "count": .string(StaffPhrase.rowCount(rowValues.count, entries.count).text(language)),
            "hasGreens": .bool(!greens.isEmpty),
            "plans": .array(plans.map { .object(["value": .string($0.id), "label": .string($0.title.resolved(language: language.rawValue)),
                                                 "selected": .bool($0.id == query.planID)]) }),
            "categories": .array(WorklistCategory.allCases.map { category in
                .object(["value": .string(category.code), "label": .string(category.label.resolved(language: language.rawValue)),
                         "id": .string("category-\(category.code)"), "checked": .bool(query.categories.contains(category))])
            }),
            "dateFields": .array([(WorklistFilter.DateField.answeredAt, StaffText.columnAnswered), (.deadline, .columnDeadline),
                                  (.lastContact, .columnLastContact)].map { field, label in
                .object(["value": .string(field.rawValue), "label": .string(label.text(language)), "selected": .bool(query.dateField == field)])
            }),
            "from": .string(query.from?.description ?? ""),
            "to": .string(query.to?.description ?? ""),
            "assignments": .array([("anyone", StaffText.assignedAnyone), ("me", .assignedMe), ("unassigned", .assignedNobody)].map { value, label in
                .object(["value": .string(value), "label": .string(label.text(language)), "id": .string("assigned-\(value)"),
                         "checked": .bool(query.assigned == value)])
            }),
            "search": .string(query.search),
            "filtering": .bool(!query.filterItems.isEmpty),
        ])
        return try render("staff/worklist", title: StaffText.worklist.text(language), content: content, language: language,
                          signedIn: signedIn, current: "/staff/worklist", back: back)
    }

    private func worklistRow(_ entry: StaffWorklist.Entry, language: Language, format: StaffFormat, now: Date,
                             staff: [StaffAccount], signedIn: SignedIn, back: String) -> TemplateValue {
        let row = entry.row
        let code = language.rawValue
        var object: [String: TemplateValue] = [
            "patientURL": .string("/staff/patients/\(entry.patient.id.rawValue)"),
            "patientID": .string(String(entry.patient.id.rawValue)),
            "name": .string(row.patientName),
            "cpr": .string(row.cpr.masked),
            "plan": .string(entry.planTitle.resolved(language: code)),
            "category": .string(row.category.code),
            "categoryLabel": .string(row.category.label.resolved(language: code)),
            "reasons": .array(row.reasons.map { .string($0.resolved(language: code)) }),
            "handled": .bool(entry.handled),
            "scores": .array(entry.scores.map { line in
                let change = line.change.map { " (\(format.change($0)) \(StaffText.sinceLast.text(language)))" } ?? ""
                return .string("\(line.label.resolved(language: code)): \(format.number(line.value))\(change)")
            }),
            "answered": .string(row.answeredAt.map(format.dateTime) ?? "–"),
            "deadline": .string(row.deadline.map(format.dateTime) ?? "–"),
            "assigned": .string(row.assignedClinician ?? StaffText.nobody.text(language)),
            "lastContact": .string(row.lastContact.map(format.date) ?? "–"),
        ]
        if let finding = entry.openFinding {
            object["decideURL"] = .string("/staff/patients/\(entry.patient.id.rawValue)/decide?subject=\(SubjectCode.code(finding))"
                + "&back=\(Self.formEncode(back))")
        }
        if let deadline = row.deadline, let overdue = format.overdue(deadline, now: now) {
            object["overdue"] = .string(StaffPhrase.overdueBy(overdue).text(language))
        }
        if let subject = entry.claimSubject {
            let current = row.assignedClinician
            object["claim"] = .object([
                "subject": .string(SubjectCode.code(subject)),
                "selectID": .string("assign-\(row.id)"),
                "options": .array([.object(["value": .string(""), "label": .string(StaffText.nobody.text(language)),
                                            "selected": .bool(current == nil)])]
                    + staff.map { account in
                        .object(["value": .string(String(account.id.rawValue)), "label": .string(account.displayName),
                                 "selected": .bool(current == account.displayName)])
                    }),
                "isMine": .bool(current == signedIn.account.displayName),
            ])
        }
        if !entry.acknowledgeable.isEmpty {
            object["acknowledge"] = .object(["value": .string(entry.acknowledgeable.map(SubjectCode.code).joined(separator: " ")),
                                             "checkboxID": .string("ack-\(row.id)")])
        }
        return .object(object)
    }

    /// Assigns the row's finding: `assignee` is a staff id of the department, `me`, or empty to release.
    func claim(_ request: HTTPRequest, _ signedIn: SignedIn) async throws -> HTTPResponse {
        let fields = FormData.decode(request.body)
        let value = { (name: String) in fields.first { $0.name == name }?.value }
        guard let subject = SubjectCode.subject(value("subject")) else { throw Failure.notFound }
        let requested = value("assignee") ?? ""
        let me = signedIn.account
        let now = context.clock()
        try await context.database.write { db in
            guard try PatientHistory.patientID(db, of: subject).flatMap({ try Patients.find(db, id: $0) })?.departmentID == me.departmentID else {
                throw Failure.notFound
            }
            let assignee: StaffAccountID?
            switch requested {
            case "": assignee = nil
            case "me": assignee = me.id
            case let raw:
                guard let number = Int64(raw), let account = try StaffAccounts.find(db, id: StaffAccountID(rawValue: number)),
                      account.departmentID == me.departmentID else { throw Failure.notFound }
                assignee = account.id
            }
            try Claims.assign(db, subject, to: assignee, by: me.id, now: now)
        }
        return .redirect(to: Self.safeReturn(value("back")))
    }

    /// Records "no action" by the signed-in user on every ticked green response that has no
    /// decision yet; one POST for the whole morning's greens.
    func acknowledge(_ request: HTTPRequest, _ signedIn: SignedIn) async throws -> HTTPResponse {
        let fields = FormData.decode(request.body)
        let subjects = fields.filter { $0.name == "subject" }.flatMap { $0.value.split(separator: " ") }
            .compactMap { SubjectCode.subject(String($0)) }
        let me = signedIn.account
        let now = context.clock()
        try await context.database.write { db in
            for subject in subjects {
                guard case .response = subject, try Decisions.forSubject(db, subject).isEmpty,
                      let patientID = try PatientHistory.patientID(db, of: subject),
                      try Patients.find(db, id: patientID)?.departmentID == me.departmentID else { continue }
                try Decisions.record(db, patientID: patientID, subject: subject, kind: .noAction, visitDate: nil, nextDueDate: nil,
                                     note: nil, decidedBy: me.id, corrects: nil, now: now)
            }
        }
        return .redirect(to: Self.safeReturn(fields.first { $0.name == "back" }?.value))
    }

    /// The newest version of every plan, by title.
    func latestPlans() -> [FollowUpPlan] {
        Set(context.plans.map(\.id)).compactMap { context.latestPlan(id: $0) }.sorted { $0.id < $1.id }
    }

    /// Percent-encodes everything but RFC 3986 unreserved ASCII characters.
    static func formEncode(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
