import FollowUp
import Foundation
import HTTPCore
import Questionnaire
import SQLite
import Sharing
import Storage
import Templating

/// Recording what a clinician decided about one finding: the automatic result and the
/// decisions so far side by side, and a form for a new decision. Decisions are append-only;
/// "Ret" (correct) records a new one that points at the earlier one.
extension StaffPages {
    /// What the decision form posted.
    struct DecisionForm {
        var kind: String = ""
        var visitDate: String = ""
        var nextDue: String = ""
        var note: String = ""
        var corrects: String = ""
        /// Where to go after saving (the worklist the nurse came from); empty: the patient page.
        var back: String = ""

        init() {}

        init(_ fields: [(name: String, value: String)]) {
            let value = { (name: String) in fields.first { $0.name == name }?.value ?? "" }
            kind = value("kind")
            visitDate = value("visit-date")
            nextDue = value("next-due")
            note = value("note").trimmingCharacters(in: .whitespacesAndNewlines)
            corrects = value("corrects")
            back = value("back")
        }
    }

    /// The longest note kept, in characters.
    static let maximumNoteLength = 2000

    func decisionPage(_ request: HTTPRequest, _ signedIn: SignedIn, id: String?) async throws -> HTTPResponse {
        let items = request.queryItems()
        guard let subject = SubjectCode.subject(items.first(where: { $0.name == "subject" })?.value) else { throw Failure.notFound }
        var form = DecisionForm()
        form.corrects = items.first { $0.name == "corrects" }?.value ?? ""
        form.back = items.first { $0.name == "back" }?.value ?? ""
        return try await decisionPage(signedIn, id: id, subject: subject, form: form, errors: [], status: .ok)
    }

    func decide(_ request: HTTPRequest, _ signedIn: SignedIn, id: String?) async throws -> HTTPResponse {
        let fields = FormData.decode(request.body)
        guard let subject = SubjectCode.subject(fields.first(where: { $0.name == "subject" })?.value) else { throw Failure.notFound }
        let form = DecisionForm(fields)
        var errors: [(field: String, message: StaffText)] = []
        let kind = Decision.Kind(rawValue: form.kind)
        if kind == nil { errors.append(("kind-0", .errorKind)) }
        let visitDate = CalendarDay(iso: form.visitDate)
        if kind == .visitBooked && visitDate == nil { errors.append(("visit-date", .errorVisitDate)) }
        let nextDue = CalendarDay(iso: form.nextDue)
        let today = CalendarDay(context.clock(), in: context.timeZone)
        if kind == .intervalChanged && (nextDue.map { $0 < today } ?? true) { errors.append(("next-due", .errorNextDue)) }
        if form.note.count > Self.maximumNoteLength { errors.append(("note", .errorNote)) }
        guard errors.isEmpty, let kind else {
            return try await decisionPage(signedIn, id: id, subject: subject, form: form, errors: errors, status: .unprocessableContent)
        }
        let account = signedIn.account
        let now = context.clock()
        let outcome = try await context.database.write { db -> PatientID? in
            let (patient, basis) = try accessiblePatient(db, id, for: signedIn, data: .decisions, acting: true, now: now)
            guard try PatientHistory.patientID(db, of: subject) == patient.id else { throw Failure.notFound }
            var corrects: DecisionID?
            if !form.corrects.isEmpty {
                guard let number = Int64(form.corrects), let earlier = try Decisions.find(db, id: DecisionID(rawValue: number)),
                      earlier.subject == subject else { return nil }
                corrects = earlier.id
            }
            try Decisions.record(db, patientID: patient.id, subject: subject, kind: kind,
                                 visitDate: kind == .visitBooked ? visitDate : nil,
                                 nextDueDate: kind == .intervalChanged ? nextDue : nil,
                                 note: form.note.isEmpty ? nil : form.note, decidedBy: account.id, corrects: corrects, now: now)
            try audit(db, signedIn, patient: patient.id, .change, "decision", basis: basis, now: now, detail: kind.rawValue)
            if kind == .followUpEnded {
                let ending = try PatientHistory.enrolmentID(db, of: subject).map { [$0] }
                    ?? Enrolments.forPatient(db, patient.id).filter { $0.departmentID == account.departmentID }.map(\.id)
                for enrolmentID in ending {
                    guard let enrolment = try Enrolments.find(db, id: enrolmentID), enrolment.schedule.endedAt == nil else { continue }
                    try Enrolments.change(db, enrolmentID, .end, actor: account.username, now: now)
                }
            }
            return patient.id
        }
        guard let patientID = outcome else {
            return try await decisionPage(signedIn, id: id, subject: subject, form: form, errors: [("kind-0", .errorCorrects)],
                                    status: .unprocessableContent)
        }
        context.log.message("decision-recorded", ["kind": kind.rawValue])
        return .redirect(to: form.back.isEmpty ? "/staff/patients/\(patientID.rawValue)#findings" : Self.safeReturn(form.back))
    }

    private func decisionPage(_ signedIn: SignedIn, id: String?, subject: Decision.Subject, form: DecisionForm,
                              errors: [(field: String, message: StaffText)], status: HTTPStatus) async throws -> HTTPResponse {
        let language = signedIn.language
        let code = language.rawValue
        let format = self.format(language)
        let now = context.clock()
        let (patient, automatic, decisions, names) = try await context.database.write { db -> (Patient, TemplateValue, [Decision], [StaffAccountID: String]) in
            let (patient, basis) = try accessiblePatient(db, id, for: signedIn, data: .decisions, now: now)
            guard try PatientHistory.patientID(db, of: subject) == patient.id else { throw Failure.notFound }
            try audit(db, signedIn, patient: patient.id, .read, "decision", basis: basis, now: now)
            var names: [StaffAccountID: String] = [:]
            for account in try StaffAccounts.inDepartment(db, signedIn.account.departmentID) { names[account.id] = account.displayName }
            return (patient, try automaticResult(db, subject, patient: patient, language: language, format: format),
                    try Decisions.forSubject(db, subject), names)
        }
        let corrected = Set(decisions.compactMap(\.corrects))
        let decisionRows: [TemplateValue] = decisions.reversed().map { decision in
            var row: [String: TemplateValue] = [
                "summary": .string(decisionSummary(decision, names: names, language: language, format: format)),
                "note": .string(decision.note ?? ""),
                "correctURL": .string("/staff/patients/\(patient.id.rawValue)/decide?subject=\(SubjectCode.code(subject))&corrects=\(decision.id.rawValue)"),
                "superseded": .bool(corrected.contains(decision.id)),
                "number": .string(String(decision.id.rawValue)),
            ]
            if let earlier = decision.corrects { row["corrects"] = .string(StaffPhrase.correctsNumber(Int(earlier.rawValue)).text(language)) }
            return .object(row)
        }
        let errorFields = Set(errors.map(\.field))
        let content: TemplateValue = .object([
            "t": StaffText.labels(language),
            "csrf": .string(signedIn.session.csrfToken),
            "name": .string(patient.name),
            "patientURL": .string("/staff/patients/\(patient.id.rawValue)"),
            "back": .string(form.back),
            "cancelURL": .string(form.back.isEmpty ? "/staff/patients/\(patient.id.rawValue)" : Self.safeReturn(form.back)),
            "action": .string("/staff/patients/\(patient.id.rawValue)/decide"),
            "subject": .string(SubjectCode.code(subject)),
            "automatic": automatic,
            "decisions": .array(decisionRows),
            "hasDecisions": .bool(!decisionRows.isEmpty),
            "corrects": .string(form.corrects),
            "correcting": .bool(!form.corrects.isEmpty),
            "correctingText": .string(StaffPhrase.correctsNumber(Int(form.corrects) ?? 0).text(language)),
            "kinds": .array(Decision.Kind.allCases.enumerated().map { index, kind in
                .object(["id": .string("kind-\(index)"), "value": .string(kind.rawValue), "label": .string(StaffPhrase.kind(kind).text(language)),
                         "checked": .bool(form.kind == kind.rawValue)])
            }),
            "visitDate": .string(form.visitDate),
            "nextDue": .string(form.nextDue),
            "note": .string(form.note),
            "hasErrors": .bool(!errors.isEmpty),
            "errors": .array(errors.map { .object(["href": .string("#\($0.field)"), "message": .string($0.message.text(language))]) }),
            "errorSummaryTitle": .string(StaffText.errorSummary.text(language)),
            "kindError": .bool(errorFields.contains("kind-0")),
            "visitError": .bool(errorFields.contains("visit-date")),
            "nextError": .bool(errorFields.contains("next-due")),
            "noteError": .bool(errorFields.contains("note")),
            "code": .string(code),
        ])
        let title = (errors.isEmpty ? "" : StaffText.errorPrefix.text(language) + " ") + StaffText.decideTitle.text(language)
        return try render("staff/decide", title: "\(title) – \(patient.name)", content: content, language: language,
                          signedIn: signedIn, status: status)
    }

    /// What the system found, for the left-hand side of the decision page.
    private func automaticResult(_ db: Connection, _ subject: Decision.Subject, patient: Patient, language: Language,
                                 format: StaffFormat) throws -> TemplateValue {
        let code = language.rawValue
        switch subject {
        case .response(let id):
            guard let response = try Responses.find(db, id: id) else { throw Failure.notFound }
            let triage = try TriageRecords.find(db, responseID: id)
            let colour = triage?.colour.rawValue ?? "green"
            let lines = try StaffWorklist(context: context, now: context.clock()).scoreLines(db, responses: [id], patientID: patient.id)
            return .object([
                "what": .string(context.catalogue.definition(reference: response.questionnaireReference)?.title.resolved(language: code)
                    ?? response.questionnaireReference),
                "when": .string(format.dateTime(response.authored)),
                "colour": .string(colour), "colourLabel": .string(Self.colourLabel(colour, language)),
                "reasons": .array((triage?.findings ?? []).filter { $0.colour != .green }.map { .string($0.reason.resolved(language: code)) }),
                "scores": .array(lines.map { .string("\($0.label.resolved(language: code)): \(format.number($0.value))") }),
                "responseURL": .string("/staff/patients/\(patient.id.rawValue)#response-\(id.rawValue)"),
            ])
        case .round(let id):
            guard let round = try Rounds.find(db, id: id), case .expired(let at, let colour, let level)? = round.round.outcome else {
                throw Failure.notFound
            }
            return .object([
                "what": .string(StaffPhrase.roundNumber(round.round.number).text(language)),
                "when": .string(format.dateTime(at)),
                "colour": .string(colour.rawValue), "colourLabel": .string(Self.colourLabel(colour.rawValue, language)),
                "reasons": .array([.string(StaffWorklist.nonResponseReason(level: level).resolved(language: code))]),
            ])
        case .contactRequest(let id):
            guard let request = try ContactRequests.forPatient(db, patient.id).first(where: { $0.id == id }) else { throw Failure.notFound }
            return .object([
                "what": .string(StaffText.contactRequest.text(language)),
                "when": .string(format.dateTime(request.requestedAt)),
                "colour": .string("red"), "colourLabel": .string(Self.colourLabel("red", language)),
                "reasons": .array([.string(StaffWorklist.contactReason.resolved(language: code))] + (request.message.map { [.string($0)] } ?? [])),
            ])
        }
    }
}
