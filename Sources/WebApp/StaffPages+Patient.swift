import FollowUp
import Foundation
import HTTPCore
import JSON
import Questionnaire
import Sharing
import Storage
import Templating

/// The patient overview: who, which plan and its state, the findings with their decisions, a
/// timeline, a chart per score and every response with what changed since the one before.
extension StaffPages {
    /// Everything the overview shows, read in one go.
    private struct Overview: Sendable {
        let patient: Patient
        let enrolments: [(StoredEnrolment, [(kind: String, at: Date, actor: String, detail: String?)])]
        let responses: [StoredResponse]
        let triage: [ResponseID: TriageResult]
        let scores: [ResponseID: [String: (value: String?, band: String?)]]
        let expiredRounds: [StoredRound]
        let requests: [ContactRequest]
        let decisions: [Decision]
        let messages: [OutboxItem]
        let staffNames: [StaffAccountID: String]
        /// Whether the viewer may record decisions and change the plan (the responsible
        /// department); others (the GP, the municipality) see the same page read-only.
        let canAct: Bool
    }

    func patientOverview(_ request: HTTPRequest, _ signedIn: SignedIn, id: String?) async throws -> HTTPResponse {
        let language = signedIn.language
        let now = context.clock()
        let overview = try await context.database.write { db -> Overview in
            let (patient, basis) = try accessiblePatient(db, id, for: signedIn, data: .results, now: now)
            try audit(db, signedIn, patient: patient.id, .read, "patient-overview", basis: basis, now: now)
            let enrolments = try Enrolments.forPatient(db, patient.id)
            let responses = try PatientHistory.responses(db, patient.id)
            var triage: [ResponseID: TriageResult] = [:]
            var scores: [ResponseID: [String: (value: String?, band: String?)]] = [:]
            for response in responses {
                triage[response.id] = try TriageRecords.find(db, responseID: response.id)
                scores[response.id] = try ScoreRecords.find(db, responseID: response.id)
            }
            var names: [StaffAccountID: String] = [:]
            for account in try StaffAccounts.inDepartment(db, signedIn.account.departmentID) { names[account.id] = account.displayName }
            return Overview(patient: patient, enrolments: try enrolments.map { ($0, try Enrolments.events(db, $0.id)) },
                            responses: responses, triage: triage, scores: scores,
                            expiredRounds: try enrolments.flatMap { try Rounds.all(db, $0.id) }.filter {
                                if case .expired? = $0.round.outcome { return true }
                                return false
                            },
                            requests: try ContactRequests.forPatient(db, patient.id), decisions: try Decisions.forPatient(db, patient.id),
                            messages: try Outbox.forPatient(db, patient.id), staffNames: names,
                            canAct: try mayAct(db, on: patient.id, for: signedIn, now: now))
        }
        let format = self.format(language)
        let code = language.rawValue
        let patient = overview.patient
        let cpr = (try? CPRNumber(patient.cpr))?.formatted ?? patient.cpr
        let contact = patient.contact
        let details: [(StaffText, String?)] = [
            (.fieldEmail, contact.email), (.fieldMobile, contact.mobile),
            (.fieldDelivery, (contact.delivery == .email ? StaffText.deliveryEmail : .deliveryLetter).text(language)),
            (.fieldGP, contact.gpSORCode), (.fieldMunicipality, contact.municipalityCode),
            (.fieldLanguage, patient.language == "en" ? "English" : "Dansk"),
        ]
        let content: TemplateValue = .object([
            "t": StaffText.labels(language),
            "csrf": .string(signedIn.session.csrfToken),
            "name": .string(patient.name),
            "cpr": .string(cpr),
            "details": .array(details.map { .object(["label": .string($0.0.text(language)), "value": .string($0.1 ?? "–")]) }),
            "enrolments": .array(overview.enrolments.map { enrolmentValue($0.0, events: $0.1, patient: patient, language: language, format: format) }),
            "hasEnrolments": .bool(!overview.enrolments.isEmpty),
            "findings": .array(findings(overview, language: language, format: format)),
            "charts": .array(charts(overview, language: language, format: format)),
            "timeline": .array(timeline(overview, language: language, format: format).map { entry in
                .object(["when": .string(format.dateTime(entry.at)), "what": .string(entry.what), "detail": .string(entry.detail)])
            }),
            "responses": .array(responseValues(overview, language: language, format: format)),
            "decideBase": .string("/staff/patients/\(patient.id.rawValue)/decide"),
            "canAct": .bool(overview.canAct),
            "paperAction": .string("/staff/patients/\(patient.id.rawValue)/paper"),
            "paperQuestionnaires": .array(paperQuestionnaires(overview.enrolments.map(\.0), language: language)),
            "today": .string(CalendarDay(now, in: context.timeZone).description),
            "code": .string(code),
        ])
        return try render("staff/patient", title: patient.name, content: content, language: language, signedIn: signedIn,
                          back: "/staff/patients/\(patient.id.rawValue)")
    }

    // MARK: Enrolments

    private func enrolmentValue(_ enrolment: StoredEnrolment, events: [(kind: String, at: Date, actor: String, detail: String?)],
                                patient: Patient, language: Language, format: StaffFormat) -> TemplateValue {
        let now = context.clock()
        let plan = context.plan(id: enrolment.planID, version: enrolment.planVersion)
        let status: String
        var actions: [(String, StaffText)] = []
        switch enrolment.schedule.status(at: now) {
        case .active:
            status = StaffText.statusActive.text(language)
            actions = [("pause", .actionPause), ("end", .actionEnd)]
        case .paused(let since):
            status = StaffPhrase.statusPaused(format.date(since)).text(language)
            actions = [("resume", .actionResume), ("end", .actionEnd)]
        case .ended(let at):
            status = StaffPhrase.statusEnded(format.date(at)).text(language)
        }
        let running = !actions.isEmpty
        let otherPlans = latestPlans().filter { $0.reference != "\(enrolment.planID)|\(enrolment.planVersion)" }
        return .object([
            "plan": .string(plan?.title.resolved(language: language.rawValue) ?? enrolment.planID),
            "version": .string(enrolment.planVersion),
            "start": .string(format.day(enrolment.schedule.startDate)),
            "status": .string(status),
            "running": .bool(running),
            "action": .string("/staff/patients/\(patient.id.rawValue)/enrolments/\(enrolment.id.rawValue)"),
            "actions": .array(actions.map { .object(["value": .string($0.0), "label": .string($0.1.text(language))]) }),
            "canChangePlan": .bool(running && !otherPlans.isEmpty),
            "planSelectID": .string("plan-\(enrolment.id.rawValue)"),
            "plans": .array(otherPlans.map { .object(["value": .string($0.reference), "label": .string($0.title.resolved(language: language.rawValue))]) }),
            "events": .array(events.reversed().map { event in
                .object(["when": .string(format.dateTime(event.at)), "what": .string(Self.eventText(event.kind, language)),
                         "who": .string(event.actor), "detail": .string(event.detail ?? "")])
            }),
        ])
    }

    static func eventText(_ kind: String, _ language: Language) -> String {
        switch kind {
        case "enrolled": StaffText.eventEnrolled.text(language)
        case "paused": StaffText.actionPause.text(language)
        case "resumed": StaffText.actionResume.text(language)
        case "plan-changed": StaffText.eventPlanChanged.text(language)
        case "ended": StaffText.actionEnd.text(language)
        default: kind
        }
    }

    /// Pause, resume, end or change plan; a change that does not fit the state is refused with a page.
    func changeEnrolment(_ request: HTTPRequest, _ signedIn: SignedIn, id: String?, enrolment rawEnrolment: String?) async throws -> HTTPResponse {
        let fields = FormData.decode(request.body)
        let value = { (name: String) in fields.first { $0.name == name }?.value ?? "" }
        let change: Enrolments.Change
        switch value("change") {
        case "pause": change = .pause
        case "resume": change = .resume
        case "end": change = .end
        case "plan":
            guard let plan = context.plans.first(where: { $0.reference == value("plan") }) else { throw Failure.notFound }
            change = .changePlan(id: plan.id, version: plan.version)
        default: throw Failure.notFound
        }
        let account = signedIn.account
        let now = context.clock()
        let patientID = try await context.database.write { db -> PatientID in
            let (patient, basis) = try accessiblePatient(db, id, for: signedIn, data: .decisions, acting: true, now: now)
            guard let raw = rawEnrolment, let number = Int64(raw), let enrolment = try Enrolments.find(db, id: EnrolmentID(rawValue: number)),
                  enrolment.patientID == patient.id else { throw Failure.notFound }
            do {
                try Enrolments.change(db, enrolment.id, change, actor: account.username, now: now)
            } catch StorageError.invalidChange {
                throw Failure.conflict
            }
            try audit(db, signedIn, patient: patient.id, .change, "enrolment", basis: basis, now: now, detail: "\(change)")
            return patient.id
        }
        return .redirect(to: "/staff/patients/\(patientID.rawValue)")
    }

    // MARK: Findings

    /// Every response, expired round and contact request with its automatic result and the
    /// latest decision, newest first.
    private func findings(_ overview: Overview, language: Language, format: StaffFormat) -> [TemplateValue] {
        let code = language.rawValue
        var items: [(at: Date, subject: Decision.Subject, what: String, colour: String, reasons: [String])] = []
        for response in overview.responses {
            let triage = overview.triage[response.id]
            let title = context.catalogue.definition(reference: response.questionnaireReference)?.title.resolved(language: code)
                ?? response.questionnaireReference
            let colour = triage?.colour ?? .green
            items.append((response.authored, .response(response.id), title, colour.rawValue,
                          triage?.findings.filter { $0.colour != .green }.map { $0.reason.resolved(language: code) } ?? []))
        }
        for round in overview.expiredRounds {
            guard case .expired(let at, let colour, let level)? = round.round.outcome else { continue }
            items.append((at, .round(round.id), StaffPhrase.roundNumber(round.round.number).text(language), colour.rawValue,
                          [StaffWorklist.nonResponseReason(level: level).resolved(language: code)]))
        }
        for request in overview.requests {
            items.append((request.requestedAt, .contactRequest(request.id), StaffText.contactRequest.text(language), "red",
                          [StaffWorklist.contactReason.resolved(language: code)] + (request.message.map { [$0] } ?? [])))
        }
        return items.sorted { $0.at > $1.at }.map { item in
            let decisions = overview.decisions.filter { $0.subject == item.subject }
            let latest = decisions.first
            var object: [String: TemplateValue] = [
                "when": .string(format.dateTime(item.at)), "what": .string(item.what),
                "colour": .string(item.colour), "colourLabel": .string(Self.colourLabel(item.colour, language)),
                "reasons": .array(item.reasons.map(TemplateValue.string)),
                "decideURL": .string("/staff/patients/\(overview.patient.id.rawValue)/decide?subject=\(SubjectCode.code(item.subject))"),
                "undecided": .bool(latest == nil),
            ]
            if let latest {
                object["decision"] = .string(decisionSummary(latest, names: overview.staffNames, language: language, format: format))
            }
            return .object(object)
        }
    }

    static func colourLabel(_ colour: String, _ language: Language) -> String {
        switch colour {
        case "red": WorklistCategory.red.label.resolved(language: language.rawValue)
        case "yellow": WorklistCategory.yellow.label.resolved(language: language.rawValue)
        default: WorklistCategory.green.label.resolved(language: language.rawValue)
        }
    }

    /// "Telefonsamtale – Karen Nielsen, 22.11.2026 14:05".
    func decisionSummary(_ decision: Decision, names: [StaffAccountID: String], language: Language, format: StaffFormat) -> String {
        var text = "\(StaffPhrase.kind(decision.kind).text(language)) – \(names[decision.decidedBy] ?? "#\(decision.decidedBy.rawValue)"), "
            + format.dateTime(decision.decidedAt)
        if let visit = decision.visitDate { text += " · \(StaffText.fieldVisitDate.text(language)) \(format.day(visit))" }
        if let next = decision.nextDueDate { text += " · \(StaffText.fieldNextDue.text(language)) \(format.day(next))" }
        return text
    }

    // MARK: Timeline

    private func timeline(_ overview: Overview, language: Language, format: StaffFormat) -> [(at: Date, what: String, detail: String)] {
        let code = language.rawValue
        var entries: [(at: Date, what: String, detail: String)] = []
        for response in overview.responses {
            let title = context.catalogue.definition(reference: response.questionnaireReference)?.title.resolved(language: code) ?? ""
            entries.append((response.authored, StaffText.timelineResponse.text(language),
                            "\(title) – \(Self.colourLabel(overview.triage[response.id]?.colour.rawValue ?? "green", language))"))
        }
        for decision in overview.decisions {
            entries.append((decision.decidedAt, StaffText.timelineDecision.text(language),
                            decisionSummary(decision, names: overview.staffNames, language: language, format: format)
                                + (decision.note.map { " – \($0)" } ?? "")))
        }
        for message in overview.messages {
            let purpose = (message.purpose == .invitation ? StaffText.purposeInvitation : .purposeReminder).text(language)
            let channel = (message.channel == .email ? StaffText.deliveryEmail : .deliveryLetter).text(language)
            entries.append((message.createdAt, purpose, "\(channel) – \(StaffPhrase.state(message.state).text(language))"))
        }
        for request in overview.requests {
            entries.append((request.requestedAt, StaffText.contactRequest.text(language), request.message ?? ""))
        }
        for (enrolment, events) in overview.enrolments {
            let plan = context.plan(id: enrolment.planID, version: enrolment.planVersion)?.title.resolved(language: code) ?? enrolment.planID
            for event in events { entries.append((event.at, Self.eventText(event.kind, language), "\(plan) – \(event.actor)")) }
        }
        return entries.sorted { $0.at > $1.at }
    }

    // MARK: Charts

    /// One chart per score that has at least one value, with its bands and a data table.
    private func charts(_ overview: Overview, language: Language, format: StaffFormat) -> [TemplateValue] {
        let code = language.rawValue
        var series: [(key: String, item: QuestionnaireItem, questionnaire: String, points: [ScoreChart.Point])] = []
        for response in overview.responses {
            guard let definition = context.catalogue.definition(reference: response.questionnaireReference) else { continue }
            for (linkId, score) in (overview.scores[response.id] ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let text = score.value, let value = Decimal(string: text), let item = definition.item(linkId: linkId) else { continue }
                let key = "\(definition.url)#\(linkId)"
                let point = ScoreChart.Point(date: response.authored, value: value)
                if let index = series.firstIndex(where: { $0.key == key }) {
                    series[index].points.append(point)
                } else {
                    series.append((key, item, definition.title.resolved(language: code), [point]))
                }
            }
        }
        return series.enumerated().map { index, entry in
            let label = entry.item.text?.resolved(language: code) ?? entry.item.linkId
            let bands = entry.item.bands.map { ScoreChart.Band(low: $0.low, high: $0.high, label: $0.display.resolved(language: code)) }
            let chart = ScoreChart(points: entry.points, bands: bands, dateLabel: { format.date($0) },
                                   valueLabel: { format.number("\($0)") })
            let bandFor = { (value: Decimal) in entry.item.bands.first { $0.contains(value) }?.display.resolved(language: code) ?? "–" }
            let id = "chart-\(index + 1)"
            let sorted = entry.points.sorted { $0.date < $1.date }
            return .object([
                "id": .string(id),
                "title": .string("\(label) (\(entry.questionnaire))"),
                "description": .string(StaffPhrase.chartDescription(label, sorted.count).text(language)),
                "width": .string(ScoreChart.text(chart.width)),
                "height": .string(ScoreChart.text(chart.height)),
                "plotLeft": .string(ScoreChart.text(chart.plot.x)),
                "plotRight": .string(ScoreChart.text(chart.plot.right)),
                "plotTop": .string(ScoreChart.text(chart.plot.y)),
                "plotBottom": .string(ScoreChart.text(chart.plot.bottom)),
                "bandLabelX": .string(ScoreChart.text(chart.plot.right + 6)),
                "bands": .array(chart.bands.enumerated().map { bandIndex, band in
                    .object(["y": .string(ScoreChart.text(band.y)), "height": .string(ScoreChart.text(band.height)),
                             "labelY": .string(ScoreChart.text(band.y + min(band.height / 2 + 4, band.height))),
                             "label": .string(band.label), "index": .string(String(bandIndex % 4))])
                }),
                "yTicks": .array(chart.yTicks.map { .object(["y": .string(ScoreChart.text($0.position)),
                                                             "labelY": .string(ScoreChart.text($0.position + 4)),
                                                             "label": .string($0.label)]) }),
                "xTicks": .array(chart.xTicks.map { .object(["x": .string(ScoreChart.text($0.position)), "label": .string($0.label)]) }),
                "plotWidth": .string(ScoreChart.text(chart.plot.width)),
                "tickX": .string(ScoreChart.text(chart.plot.x - 6)),
                "dateY": .string(ScoreChart.text(chart.plot.bottom + 18)),
                "line": .string(chart.linePath),
                "markers": .array(chart.markers.map { .object(["shape": .string(ScoreChart.diamond(x: $0.x, y: $0.y))]) }),
                "axisLabel": .string(label),
                "rows": .array(sorted.map { point in
                    .object(["when": .string(format.dateTime(point.date)), "value": .string(format.number("\(point.value)")),
                             "band": .string(bandFor(point.value))])
                }),
            ])
        }
    }

    // MARK: Responses

    /// Every response, newest first, with each answer and, when it differs from the previous
    /// response to the same questionnaire, what it was.
    private func responseValues(_ overview: Overview, language: Language, format: StaffFormat) -> [TemplateValue] {
        let code = language.rawValue
        let answerFormat = AnswerFormat(language: language, timeZone: context.timeZone)
        var previousAnswers: [String: ResponseAnswers] = [:]
        var values: [TemplateValue] = []
        for response in overview.responses {
            guard let definition = context.catalogue.definition(reference: response.questionnaireReference),
                  let json = try? JSON.parse(response.resourceJSON),
                  let answers = try? definition.answers(fromResponse: json) else { continue }
            let previous = previousAnswers[definition.url]
            let rows: [TemplateValue] = Self.questions(definition.items).map { item in
                let text = { (answers: ResponseAnswers) in
                    answers.values(item.linkId).map { answerFormat.text($0, of: item) }.joined(separator: ", ")
                }
                let now = text(answers)
                var row: [String: TemplateValue] = ["question": .string(item.text?.resolved(language: code) ?? item.linkId),
                                                    "answer": .string(now.isEmpty ? StaffText.notAnswered.text(language) : now)]
                if let previous, text(previous) != now {
                    let before = text(previous)
                    row["changed"] = .string(StaffPhrase.changedFrom(before.isEmpty ? StaffText.notAnswered.text(language) : before)
                        .text(language))
                }
                return .object(row)
            }
            previousAnswers[definition.url] = answers
            values.append(.object([
                "title": .string(definition.title.resolved(language: code)),
                "when": .string(format.dateTime(response.authored)),
                "colourLabel": .string(Self.colourLabel(overview.triage[response.id]?.colour.rawValue ?? "green", language)),
                "colour": .string(overview.triage[response.id]?.colour.rawValue ?? "green"),
                "answers": .array(rows),
                "id": .string("response-\(response.id.rawValue)"),
            ]))
        }
        return values.reversed()
    }

    /// The questions of a definition in document order, nested ones included; display items
    /// and groups are left out, calculated scores kept.
    static func questions(_ items: [QuestionnaireItem]) -> [QuestionnaireItem] {
        items.flatMap { [$0] + questions($0.items) }.filter { $0.type.isQuestion }
    }
}
