import Foundation
import HTTPCore
import Questionnaire
import Security
import Storage
import Templating

/// The patient's path: the pages of a questionnaire, the review, the submission, the receipt.
///
/// The link token is the patient's only credential, so every handler starts by finding the
/// invitation it opens and what state it is in; nothing else is reachable from a token.
struct PatientPages: Sendable {
    let context: AppContext

    /// Where a patient's link currently leads.
    struct Visit {
        let token: String
        let invitation: Invitation
        let patient: Patient
        let definition: QuestionnaireDefinition
        /// The saved draft's answers; nil before the first page is saved.
        let savedAnswers: ResponseAnswers?
        let draftLanguage: String?
        /// Where the patient left off: a page index, or nil for the review.
        let resumePage: Int?

        /// The answers so far; before the first save, the definition's initial answers, so
        /// read-only items carry their value into the response.
        var answers: ResponseAnswers { savedAnswers ?? definition.initialAnswers }

        func with(answers: ResponseAnswers) -> Visit {
            Visit(token: token, invitation: invitation, patient: patient, definition: definition,
                  savedAnswers: answers, draftLanguage: draftLanguage, resumePage: resumePage)
        }
    }

    /// The failures a patient can meet, each shown as a page in their language.
    enum Failure: Error {
        case unknownLink
        case expired
        case questionnaireMissing
        case badForm
    }

    // MARK: Handlers

    func show(_ request: HTTPRequest, token: String) async throws -> HTTPResponse {
        let visit = try openVisit(token)
        let language = self.language(request.queryItems().first { $0.name == "lang" }?.value, visit)
        let requested = request.queryItems().first { $0.name == "p" }?.value
        let navigation = Navigation(definition: visit.definition, answers: visit.answers)
        if requested == "review" {
            return try reviewPage(visit, language: language, issues: [], status: .ok)
        }
        let pageIndex = Self.pageIndex(requested, in: visit.definition).flatMap { navigation.isEnabled($0) ? $0 : nil }
            ?? navigation.resumeIndex(saved: visit.savedAnswers != nil, leftOffAt: visit.resumePage)
        guard let pageIndex else { return try reviewPage(visit, language: language, issues: [], status: .ok) }
        let format = AnswerFormat(language: language, timeZone: context.timeZone)
        let values = FieldValues(definition: visit.definition, pageIndex: pageIndex, draft: visit.savedAnswers, format: format)
        return try formPage(visit, pageIndex: pageIndex, language: language, values: values, issues: [], status: .ok)
    }

    /// What the buttons of a page ask for.
    private enum PageAction {
        case next, back, switchLanguage

        init(_ fields: [(name: String, value: String)]) {
            switch fields.first(where: { $0.name == "action" })?.value {
            case "back": self = .back
            case "switch-language": self = .switchLanguage
            default: self = .next
            }
        }
    }

    /// What saving a page leads to.
    private enum PageOutcome: Sendable {
        /// Go to this page (nil: the review).
        case go(Int?)
        /// Show the page again with these problems; the answers are those now saved.
        case invalid(ResponseAnswers, [ValidationIssue])
    }

    /// Saves one page into the draft and moves on, back, or shows the page with its problems.
    ///
    /// The draft is read, merged and written inside one write transaction: two tabs, or a page
    /// posted while the submission commits, cannot overwrite each other's answers or recreate
    /// a draft after the response is stored. A value that cannot be read (letters in a number
    /// field) keeps the previously saved answer instead of erasing it.
    func savePage(_ request: HTTPRequest, token: String) async throws -> HTTPResponse {
        let visit = try openVisit(token)
        let fields = FormData.decode(request.body)
        let definition = visit.definition
        guard let pageIndex = Self.pageIndex(fields.first(where: { $0.name == "page" })?.value, in: definition) else {
            throw Failure.badForm
        }
        let action = PageAction(fields)
        let posted = self.language(fields.first { $0.name == "lang" }?.value, visit)
        let language = action == .switchLanguage ? posted.other : posted
        let decoding = definition.decode(page: pageIndex, fields: fields, language: language.rawValue,
                                         timeZone: context.timeZone)
        let unreadable = Set(decoding.issues.map(\.linkId))
        let replaced = decoding.decodedLinkIds.filter { !unreadable.contains($0) }
        let invitationID = visit.invitation.id
        let now = context.clock()
        let outcome = try await context.database.write { db -> PageOutcome in
            guard try Responses.id(db, invitationID: invitationID) == nil else { throw Submitted(token: token) }
            var answers = try Drafts.find(db, invitationID: invitationID)?.answers ?? definition.initialAnswers
            answers.merge(decoding.answers, replacing: replaced)
            let navigation = Navigation(definition: definition, answers: answers)
            let outcome: PageOutcome
            switch action {
            case .back: outcome = .go(navigation.previous(before: pageIndex) ?? pageIndex)
            case .switchLanguage: outcome = .go(pageIndex)
            case .next:
                let issues = decoding.issues
                    + definition.validate(page: pageIndex, answers: answers).filter { !unreadable.contains($0.linkId) }
                outcome = issues.isEmpty ? .go(navigation.next(after: pageIndex)) : .invalid(answers, issues)
            }
            let resumePage: Int? = switch outcome {
            case .go(let page): page
            case .invalid: pageIndex
            }
            try Drafts.save(db, invitationID: invitationID, answers: answers, language: language.rawValue,
                            resumePage: resumePage, now: now)
            return outcome
        }
        switch outcome {
        case .go(let page):
            return .redirect(to: pageURL(token, page, language))
        case .invalid(let answers, let issues):
            return try formPage(visit.with(answers: answers), pageIndex: pageIndex, language: language,
                                values: FieldValues(posted: fields), issues: issues, status: .unprocessableContent)
        }
    }

    /// What a submission led to.
    private enum SubmitOutcome: Sendable {
        case stored
        case alreadySubmitted
        case invalid(ResponseAnswers, [ValidationIssue])
        case respondentMissing(ResponseAnswers)
    }

    /// Stores the response: the draft is read, pruned, validated and stored inside one write
    /// transaction, and the patient's 303 to the receipt is sent only after it has committed.
    /// The review asks who answered; a relative must say their relation to the patient.
    func submit(_ request: HTTPRequest, token: String) async throws -> HTTPResponse {
        let visit = try openVisit(token, allowSubmitted: true)
        let fields = FormData.decode(request.body)
        let language = self.language(fields.first { $0.name == "lang" }?.value, visit)
        let (invitation, patient, definition) = (visit.invitation, visit.patient, visit.definition)
        let respondentChoice = RespondentChoice(fields: fields)
        let resourceID = UUID().uuidString.lowercased()
        let now = context.clock()
        let timeZone = context.timeZone
        let outcome = try await context.database.write { db -> SubmitOutcome in
            guard try Responses.id(db, invitationID: invitation.id) == nil else { return .alreadySubmitted }
            let answers = try Drafts.find(db, invitationID: invitation.id)?.answers ?? definition.initialAnswers
            let issues = definition.validateAll(definition.pruned(answers))
            guard issues.isEmpty else { return .invalid(answers, issues) }
            guard let respondent = try respondentChoice.respondent(paperEntry: invitation.paperEntry, db: db, timeZone: timeZone) else {
                return .respondentMissing(answers)
            }
            _ = try Responses.submit(db, invitation: invitation, patient: patient, definition: definition,
                                     answers: answers, resourceID: resourceID, respondent: respondent, now: now)
            return .stored
        }
        switch outcome {
        case .invalid(let answers, let issues):
            return try reviewPage(visit.with(answers: answers), language: language, issues: issues,
                                  status: .unprocessableContent, respondent: respondentChoice)
        case .respondentMissing(let answers):
            return try reviewPage(visit.with(answers: answers), language: language, issues: [],
                                  status: .unprocessableContent, respondent: respondentChoice, respondentError: true)
        case .stored:
            context.log.message("response-stored", ["questionnaire": definition.reference])
            return .redirect(to: receiptURL(token, language))
        case .alreadySubmitted:
            return .redirect(to: receiptURL(token, language))
        }
    }

    func receipt(_ request: HTTPRequest, token: String) async throws -> HTTPResponse {
        let visit = try openVisit(token, allowSubmitted: true)
        let language = self.language(request.queryItems().first { $0.name == "lang" }?.value, visit)
        guard let responseID = visit.invitation.responseID else {
            return .redirect(to: pageURL(token, 0, language))
        }
        let (response, department) = try context.database.read { db in
            (try Responses.find(db, id: responseID), try Departments.find(db, id: visit.patient.departmentID))
        }
        let received = response.map { Self.readableInstant($0.authored, language, context.timeZone) } ?? ""
        var content: [String: TemplateValue] = [
            "receiptTitle": .string(Strings.receiptTitle.text(language)),
            "receivedText": .string(Strings.receiptReceived(received).text(language)),
            "whatNextTitle": .string(Strings.whatNext.text(language)),
            "nextText": .string(try nextStep(after: visit.invitation, language: language) ?? Strings.receiptNext.text(language)),
            "contactURL": .string(contactURL(token, language)),
            "contactLabel": .string(Strings.contactLink.text(language)),
            "sharingURL": .string("/q/\(token)/sharing?lang=\(language.rawValue)"),
            "sharingLabel": .string(Strings.sharingLink.text(language)),
            "accessLogURL": .string("/q/\(token)/access-log?lang=\(language.rawValue)"),
            "accessLogLabel": .string(Strings.accessLogLink.text(language)),
            "emergencyText": .string(Strings.receiptEmergency.text(language)),
        ]
        if let department { content["callText"] = .string(Strings.receiptCall(department.name, department.phone).text(language)) }
        return try render("patient/receipt", title: Strings.receiptTitle.text(language), content: .object(content),
                          language: language, switchURL: receiptURL(token, language.other))
    }

    // MARK: Pages

    private func formPage(_ visit: Visit, pageIndex: Int, language: Language, values: FieldValues,
                          issues: [ValidationIssue], status: HTTPStatus) throws -> HTTPResponse {
        let definition = visit.definition
        let navigation = Navigation(definition: definition, answers: visit.answers)
        let view = PageView(definition: definition, pageIndex: pageIndex,
                            format: AnswerFormat(language: language, timeZone: context.timeZone), values: values,
                            answers: withCalculatedValues(visit), issues: issues)
        let position = navigation.position(of: pageIndex)
        let progress = Strings.pageOf(position.number, position.count).text(language)
        let errors = view.errorRows()
        var content: [String: TemplateValue] = [
            "questionnaireTitle": .string(definition.title.resolved(language: language.rawValue)),
            "progressText": .string(progress),
            "pageNumber": .string(String(pageIndex + 1)),
            "pageCount": .string(String(position.count)),
            "formAction": .string("/q/\(visit.token)"),
            "lang": .string(language.rawValue),
            "entries": .array(view.entries()),
            "nextLabel": .string((navigation.next(after: pageIndex) == nil ? Strings.reviewAnswers : Strings.next).text(language)),
            "backLabel": .string(Strings.back.text(language)),
            "hasBack": .bool(navigation.previous(before: pageIndex) != nil),
            "hasErrors": .bool(!errors.isEmpty),
            "errors": .array(errors),
            "errorSummaryTitle": .string(Strings.errorSummaryTitle.text(language)),
        ]
        if definition.pages[pageIndex].groupLinkId != nil {
            content["pageTitle"] = .string(definition.pages[pageIndex].title.resolved(language: language.rawValue))
        }
        if let pageError = view.pageError() {
            content["pageError"] = .string(pageError)
            content["errorPrefix"] = .string(Strings.errorPrefix.text(language))
        }
        let title = errors.isEmpty ? progress : "\(Strings.errorPrefix.text(language)) \(progress)"
        return try render("patient/page", title: title, content: .object(content), language: language,
                          switchURL: pageURL(visit.token, pageIndex, language.other), status: status)
    }

    private func reviewPage(_ visit: Visit, language: Language, issues: [ValidationIssue], status: HTTPStatus,
                            respondent: RespondentChoice = RespondentChoice(), respondentError: Bool = false) throws -> HTTPResponse {
        let definition = visit.definition
        let answers = definition.pruned(withCalculatedValues(visit))
        let navigation = Navigation(definition: definition, answers: visit.answers)
        let enabled = definition.enabledLinkIds(visit.answers)
        let format = AnswerFormat(language: language, timeZone: context.timeZone)
        let pages: [TemplateValue] = definition.pages.indices.filter(navigation.isEnabled).map { index in
            let page = definition.pages[index]
            let rows: [TemplateValue] = page.allItems
                .filter { enabled.contains($0.linkId) && $0.type.isQuestion && !$0.isHidden }
                .map { item in
                    let values = answers.values(item.linkId).map { format.text($0, of: item) }
                    return .object(["question": .string(item.text?.resolved(language: language.rawValue) ?? item.linkId),
                                    "values": .array(values.map(TemplateValue.string)),
                                    "notAnswered": .string(Strings.notAnswered.text(language))])
                }
            let title = page.title.resolved(language: language.rawValue)
            return .object(["title": .string(title), "answers": .array(rows),
                            "changeURL": .string(pageURL(visit.token, index, language)),
                            "changeLabel": .string(Strings.change.text(language))])
        }
        let errors: [TemplateValue] = issues.map { issue in
            let item = definition.item(linkId: issue.linkId)
            let pageIndex = definition.pages.firstIndex { $0.allItems.contains { $0.linkId == issue.linkId } } ?? 0
            let label = item?.text?.resolved(language: language.rawValue) ?? issue.linkId
            return .object(["href": .string(pageURL(visit.token, pageIndex, language)),
                            "message": .string("\(label) – \(issue.problem.message(language: language.rawValue))")])
        } + (respondentError ? [.object(["href": .string("#relation"), "message": .string(Strings.relationMissing.text(language))])] : [])
        let last = definition.pages.indices.last { navigation.isEnabled($0) } ?? 0
        let content: TemplateValue = .object([
            "questionnaireTitle": .string(definition.title.resolved(language: language.rawValue)),
            "reviewTitle": .string(Strings.reviewTitle.text(language)),
            "reviewIntro": .string(Strings.reviewIntro.text(language)),
            "pages": .array(pages),
            "hasErrors": .bool(!errors.isEmpty),
            "errors": .array(errors),
            "errorSummaryTitle": .string(Strings.errorSummaryTitle.text(language)),
            "submitAction": .string("/q/\(visit.token)/submit"),
            "lang": .string(language.rawValue),
            "sendLabel": .string(Strings.send.text(language)),
            "backLabel": .string(Strings.back.text(language)),
            "backURL": .string(pageURL(visit.token, last, language)),
            "asksRespondent": .bool(visit.invitation.paperEntry == nil),
            "errorPrefix": .string(Strings.errorPrefix.text(language)),
            "respondentLegend": .string(Strings.respondentLegend.text(language)),
            "respondentPatient": .string(Strings.respondentPatient.text(language)),
            "respondentProxy": .string(Strings.respondentProxy.text(language)),
            "isProxy": .bool(respondent.isProxy),
            "relationLabel": .string(Strings.relationLabel.text(language)),
            "relationHint": .string(Strings.relationHint.text(language)),
            "relation": .string(respondent.relation),
            "relationError": respondentError ? .string(Strings.relationMissing.text(language)) : .bool(false),
            "contactURL": .string(contactURL(visit.token, language)),
            "contactLabel": .string(Strings.contactLink.text(language)),
        ])
        return try render("patient/review", title: Strings.reviewTitle.text(language), content: content,
                          language: language, switchURL: pageURL(visit.token, nil, language.other), status: status)
    }

    /// The answers with every calculated item's current value (a BMI from height and weight),
    /// so read-only items show what the server computed from the answers so far.
    private func withCalculatedValues(_ visit: Visit) -> ResponseAnswers {
        let evaluation = visit.definition.evaluate(visit.answers, now: context.clock(), timeZone: context.timeZone)
        var answers = visit.answers
        for score in evaluation.scores { answers.set(score.linkId, evaluation.answers.values(score.linkId)) }
        return answers
    }

    /// A page with a title and a few paragraphs: unknown and expired links, missing forms, errors.
    func messagePage(_ title: Strings, _ paragraphs: [Strings], language: Language, status: HTTPStatus) throws -> HTTPResponse {
        let content: TemplateValue = .object(["title": .string(title.text(language)),
                                              "paragraphs": .array(paragraphs.map { .string($0.text(language)) })])
        return try render("patient/message", title: title.text(language), content: content, language: language,
                          switchURL: nil, status: status)
    }

    func render(_ template: String, title: String, content: TemplateValue, language: Language,
                        switchURL: String?, status: HTTPStatus = .ok) throws -> HTTPResponse {
        let body = try context.templates.render(template, content)
        var layout: [String: TemplateValue] = [
            "lang": .string(language.rawValue),
            "title": .string(title),
            "content": .html(body),
            "stylesheet": .string(context.assets.url("app.css")),
            "printStylesheet": .string(context.assets.url("print.css")),
            "script": .string(context.assets.url("enable-when.js")),
            "skipToContent": .string(Strings.skipToContent.text(language)),
            "otherLanguage": .string(language.other.rawValue),
            "otherLanguageName": .string(Strings.otherLanguageName.text(language.other)),
        ]
        if let switchURL { layout["switchLanguageURL"] = .string(switchURL) }
        let page = try context.templates.render("layout", .object(layout))
        return .html(page.string, status: status)
    }

    // MARK: Guard

    /// Runs a handler and turns its failures into pages: the patient always gets words, never
    /// a stack trace; an unexpected error is logged under an incident id shown to the patient
    /// (also when even the error page cannot be rendered).
    /// A database that cannot take the write now (a full write queue, a lock held by another
    /// process, a read-only or full disk, an I/O error: `OperationsStorageFault`) is 503 with
    /// `Retry-After` (RFC 9110 §15.6.4, §10.2.3): the patient's earlier pages are saved, this
    /// one was not, and trying again later works.
    func guarded(_ request: HTTPRequest, route: String, _ body: () async throws -> HTTPResponse) async -> HTTPResponse {
        let requested = request.queryItems().first { $0.name == "lang" }?.value
            ?? (request.method == .post ? FormData.decode(request.body).first { $0.name == "lang" }?.value : nil)
        let language = Language(code: requested) ?? .danish
        do {
            return try await body()
        } catch {
            let incident = Hex.encode(SecureRandom.bytes(6))
            do {
                switch error {
                case let submitted as Submitted:
                    return .redirect(to: receiptURL(submitted.token, language))
                case Failure.unknownLink:
                    return try messagePage(.linkUnknownTitle, [.linkUnknownText], language: language, status: .notFound)
                case Failure.expired:
                    return try messagePage(.linkExpiredTitle, [.linkExpiredText], language: language, status: .gone)
                case Failure.questionnaireMissing:
                    return try messagePage(.unavailableTitle, [.unavailableText], language: language, status: .serviceUnavailable)
                case Failure.badForm:
                    return try messagePage(.badFormTitle, [.badFormText], language: language, status: .badRequest)
                default:
                    if let fault = OperationsStorageFault(error) {
                        if fault.isLogged { context.log.message("storage-unavailable", ["route": route, "reason": fault.rawValue]) }
                        var busy = try messagePage(.busyTitle, [.busyText], language: language, status: .serviceUnavailable)
                        busy.headers.set("Retry-After", String(fault.retryAfterSeconds))
                        return busy
                    }
                    context.log.incident(incident, route: route, error: error)
                    return try messagePage(.serverErrorTitle, [.serverErrorText(incident)], language: language,
                                           status: .internalServerError)
                }
            } catch {
                context.log.incident(incident, route: route, error: error)
                return .text("Internal error. Error number: \(incident).\n", status: .internalServerError)
            }
        }
    }

    // MARK: Helpers

    func openVisit(_ token: String, allowSubmitted: Bool = false) throws -> Visit {
        guard Self.isWellFormedToken(token) else { throw Failure.unknownLink }
        let now = context.clock()
        let found = try context.database.read { db -> (Invitation, Patient, Draft?)? in
            guard let invitation = try Invitations.find(db, token: token),
                  let patient = try Patients.find(db, id: invitation.patientID) else { return nil }
            return (invitation, patient, try Drafts.find(db, invitationID: invitation.id))
        }
        guard let (invitation, patient, draft) = found else { throw Failure.unknownLink }
        switch invitation.state(at: now) {
        case .expired: throw Failure.expired
        case .submitted where !allowSubmitted: throw Submitted(token: token)
        default: break
        }
        guard let definition = context.catalogue.definition(reference: invitation.questionnaireReference) else {
            throw Failure.questionnaireMissing
        }
        return Visit(token: token, invitation: invitation, patient: patient, definition: definition,
                     savedAnswers: draft?.answers, draftLanguage: draft?.language, resumePage: draft?.resumePage)
    }

    /// The 0-based page a 1-based page number names, or nil when it names none. Compared as
    /// text against the valid numbers, so no value a client sends can overflow arithmetic.
    static func pageIndex(_ number: String?, in definition: QuestionnaireDefinition) -> Int? {
        definition.pages.indices.first { String($0 + 1) == number }
    }

    func language(_ requested: String?, _ visit: Visit) -> Language {
        Language(code: requested) ?? Language(code: visit.draftLanguage) ?? Language(code: visit.patient.language) ?? .danish
    }

    func pageURL(_ token: String, _ pageIndex: Int?, _ language: Language) -> String {
        "/q/\(token)?p=\(pageIndex.map { String($0 + 1) } ?? "review")&lang=\(language.rawValue)"
    }

    func receiptURL(_ token: String, _ language: Language) -> String {
        "/q/\(token)/receipt?lang=\(language.rawValue)"
    }

    /// Tokens are 43 base64url characters; anything else is refused before touching the database.
    static func isWellFormedToken(_ token: String) -> Bool {
        token.utf8.count == 43 && token.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F
        }
    }

    static func readableInstant(_ date: Date, _ language: Language, _ timeZone: TimeZone) -> String {
        var style = Date.FormatStyle(date: .long, time: .shortened,
                                     locale: Locale(identifier: language == .danish ? "da_DK" : "en_GB"))
        style.timeZone = timeZone
        return date.formatted(style)
    }
}

/// A link whose questionnaire has been sent: its pages lead to the receipt.
struct Submitted: Error {
    let token: String
}
