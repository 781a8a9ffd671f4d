import FollowUp
import Foundation
import HTTPCore
import Questionnaire
import SQLite
import Storage
import Templating

/// What the review's "who filled in the questionnaire?" fields said.
struct RespondentChoice: Sendable {
    var isProxy = false
    var relation = ""

    init() {}

    init(fields: [(name: String, value: String)]) {
        isProxy = fields.first { $0.name == "respondent" }?.value == "proxy"
        relation = (fields.first { $0.name == "relation" }?.value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The respondent to store; nil when a relative left out their relation. A paper entry is
    /// always staff's, dated noon local time on the paper's day (so the day reads the same in
    /// every zone near ours).
    func respondent(paperEntry: PaperEntry?, db: Connection, timeZone: TimeZone) throws -> Respondent? {
        if let paperEntry {
            let staff = try StaffAccounts.find(db, id: paperEntry.enteredBy)
            let day = CalendarDay(iso: paperEntry.paperDate)
            return .paper(enteredBy: paperEntry.enteredBy, staffName: staff?.displayName ?? "",
                          filledIn: day?.instant(hour: 12, in: timeZone) ?? Date())
        }
        guard isProxy else { return .patient }
        return relation.isEmpty ? nil : .proxy(relation: String(relation.prefix(200)))
    }
}

extension PatientPages {
    /// The plan's next step for the colour of the round this invitation belongs to, with the
    /// date of the next questionnaire for green; nil for invitations outside a plan.
    func nextStep(after invitation: Invitation, language: Language) throws -> String? {
        try context.database.read { db -> String? in
            guard let roundID = try Invitations.roundID(db, of: invitation.id), let round = try Rounds.find(db, id: roundID),
                  let enrolment = try Enrolments.find(db, id: round.enrolmentID),
                  let plan = context.plan(id: enrolment.planID, version: enrolment.planVersion) else { return nil }
            guard case .answered(_, let colour)? = round.round.outcome else {
                return Strings.receiptOtherQuestionnaires.text(language)
            }
            let scheduler = FollowUpScheduler(plan: plan, timeZone: context.timeZone)
            let next = scheduler.nextDueDate(for: enrolment.schedule, rounds: try Rounds.all(db, enrolment.id).map(\.round))
            return plan.nextStepText(for: colour, language: language.rawValue, nextDate: next)
        }
    }

    func contactURL(_ token: String, _ language: Language) -> String {
        "/q/\(token)/contact?lang=\(language.rawValue)"
    }

    /// The form for asking to be contacted, reachable from every page of the patient's link,
    /// also after the questionnaire was sent.
    func contactForm(_ request: HTTPRequest, token: String) async throws -> HTTPResponse {
        let visit = try openVisit(token, allowSubmitted: true)
        let language = self.language(request.queryItems().first { $0.name == "lang" }?.value, visit)
        let content: TemplateValue = .object([
            "title": .string(Strings.contactTitle.text(language)),
            "intro": .string(Strings.contactIntro.text(language)),
            "action": .string("/q/\(token)/contact"),
            "lang": .string(language.rawValue),
            "messageLabel": .string(Strings.contactMessageLabel.text(language)),
            "messageHint": .string(Strings.contactMessageHint.text(language)),
            "sendLabel": .string(Strings.contactSend.text(language)),
            "emergencyText": .string(Strings.receiptEmergency.text(language)),
        ])
        return try render("patient/contact", title: Strings.contactTitle.text(language), content: content,
                          language: language, switchURL: contactURL(token, language.other))
    }

    /// Records the request (red on the department's worklist) and confirms it.
    func requestContact(_ request: HTTPRequest, token: String) async throws -> HTTPResponse {
        let visit = try openVisit(token, allowSubmitted: true)
        let fields = FormData.decode(request.body)
        let language = self.language(fields.first { $0.name == "lang" }?.value, visit)
        let message = (fields.first { $0.name == "message" }?.value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let patientID = visit.patient.id
        let now = context.clock()
        let department = try await context.database.write { db in
            try ContactRequests.create(db, patientID: patientID, message: message.isEmpty ? nil : String(message.prefix(2000)), now: now)
            return try Departments.find(db, id: visit.patient.departmentID)
        }
        context.log.message("contact-requested")
        return try messagePage(.contactReceivedTitle, [.contactReceivedText(department?.name ?? ""),
                                                       .receiptCall(department?.name ?? "", department?.phone ?? "")],
                               language: language, status: .ok)
    }
}
