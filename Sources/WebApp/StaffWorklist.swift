import FollowUp
import Foundation
import Questionnaire
import SQLite
import Storage

/// The worklist of one department, built from the stored records: one entry per running
/// enrolment with its row (for `Worklist`'s ordering, filters and sorting) and what the page
/// shows besides.
///
/// The scheduler's status is the state before anyone looked. On top of it: a finding (the
/// latest round's flagged responses, or its expiry) that has a decision counts as handled, so
/// the row falls back to green or "due soon"; an open contact request without a decision
/// makes the row red whatever the rounds say.
struct StaffWorklist {
    /// One row and its page-only details.
    struct Entry {
        var row: WorklistRow
        let patient: Patient
        let planTitle: LocalizedText
        /// Where claims of this row are recorded: the latest round, else the open contact request.
        let claimSubject: Decision.Subject?
        /// Green responses not yet acknowledged (the bulk acknowledgement records these).
        let acknowledgeable: [Decision.Subject]
        /// "Score 12 (+3)" lines.
        let scores: [ScoreLine]
        /// The finding was decided on and the row shows the state after that.
        let handled: Bool
        /// The finding a decision is due on: the open contact request, else the first undecided finding.
        let openFinding: Decision.Subject?
    }

    /// One score of the latest response with its change since the previous response.
    struct ScoreLine {
        let label: LocalizedText
        let value: String
        let change: Decimal?
    }

    /// The reason shown for an open contact request.
    static let contactReason = LocalizedText("Patienten har bedt om at blive kontaktet",
                                             translations: ["en": "The patient has asked to be contacted"])

    let context: AppContext
    let now: Date

    /// Every running enrolment of `departmentID`, in enrolment order (callers order them).
    func entries(_ db: Connection, departmentID: DepartmentID) throws -> [Entry] {
        var names: [StaffAccountID: String] = [:]
        for account in try StaffAccounts.inDepartment(db, departmentID) { names[account.id] = account.displayName }
        return try Enrolments.running(db).filter { $0.departmentID == departmentID }.compactMap { enrolment in
            try entry(db, enrolment, names: names)
        }
    }

    func entry(_ db: Connection, _ enrolment: StoredEnrolment, names: [StaffAccountID: String]) throws -> Entry? {
        guard let patient = try Patients.find(db, id: enrolment.patientID), let cpr = try? CPRNumber(patient.cpr) else { return nil }
        let plan = context.plan(id: enrolment.planID, version: enrolment.planVersion)
        let stored = try Rounds.all(db, enrolment.id)
        let rounds = stored.map(\.round)
        let scheduler = plan.map { FollowUpScheduler(plan: $0, timeZone: context.timeZone) }
        var status = scheduler?.worklistStatus(for: enrolment.schedule, rounds: rounds, now: now) ?? WorklistStatus(category: .green)
        var reasons: [LocalizedText] = []
        var findings: [Decision.Subject] = []
        var acknowledgeable: [Decision.Subject] = []
        var responses: [(id: ResponseID, triage: TriageResult?)] = []
        let latest = stored.last { $0.round.sentAt != nil }
        if let latest {
            for invitation in try Invitations.forRound(db, latest.id) {
                if let id = invitation.responseID { responses.append((id, try TriageRecords.find(db, responseID: id))) }
            }
            switch latest.round.outcome {
            case .answered(_, let colour) where colour != .green:
                let flagged = responses.filter { ($0.triage?.colour ?? .green) != .green }
                findings = flagged.map { .response($0.id) }
                reasons = flagged.flatMap { $0.triage?.findings.filter { $0.colour != .green }.map(\.reason) ?? [] }
            case .expired(_, _, let level):
                findings = [.round(latest.id)]
                reasons = [Self.nonResponseReason(level: level)]
            case .answered:
                acknowledgeable = try responses.map { Decision.Subject.response($0.id) }.filter { try Decisions.forSubject(db, $0).isEmpty }
            case nil:
                break
            }
        }
        let undecided = try findings.filter { try Decisions.forSubject(db, $0).isEmpty }
        let handled = !findings.isEmpty && undecided.isEmpty
        if handled {
            let today = CalendarDay(now, in: context.timeZone)
            let soon = scheduler?.nextDueDate(for: enrolment.schedule, rounds: rounds).map { today.days(until: $0) <= 7 } ?? false
            status = WorklistStatus(category: soon ? .dueSoon : .green)
            reasons = []
        }
        let openRequests = try ContactRequests.forPatient(db, patient.id).filter { try Decisions.forSubject(db, .contactRequest($0.id)).isEmpty }
        if let oldest = openRequests.last {
            let deadline = plan?.responseDeadline(for: .red, raisedAt: oldest.requestedAt, in: context.timeZone)
            status = WorklistStatus(category: .red, raisedAt: oldest.requestedAt,
                                    deadline: [status.deadline, deadline].compactMap { $0 }.min())
            reasons.insert(Self.contactReason, at: 0)
        }
        let claimSubject = latest.map { Decision.Subject.round($0.id) } ?? openRequests.last.map { .contactRequest($0.id) }
        let assignee = try claimSubject.flatMap { try Claims.assignee(db, $0) }.flatMap { names[$0] }
        let decisions = try Decisions.forPatient(db, patient.id)
        let corrected = Set(decisions.compactMap(\.corrects))
        let lastContact = decisions.filter { $0.kind.isContact && !corrected.contains($0.id) }.map(\.decidedAt).max()
        var answeredAt: Date?
        if case .answered(let at, _)? = latest?.round.outcome { answeredAt = at }
        let row = WorklistRow(id: String(enrolment.id.rawValue), patientName: patient.name, cpr: cpr, planID: enrolment.planID,
                              category: status.category, reasons: reasons, answeredAt: answeredAt, deadline: status.deadline,
                              assignedClinician: assignee, lastContact: lastContact)
        return Entry(row: row, patient: patient, planTitle: plan?.title ?? LocalizedText(enrolment.planID),
                     claimSubject: claimSubject, acknowledgeable: acknowledgeable,
                     scores: try scoreLines(db, responses: responses.map(\.id), patientID: patient.id), handled: handled,
                     openFinding: openRequests.last.map { .contactRequest($0.id) } ?? undecided.first)
    }

    /// The scores of `responses` with the change since each one's previous response to the
    /// same questionnaire.
    func scoreLines(_ db: Connection, responses: [ResponseID], patientID: PatientID) throws -> [ScoreLine] {
        guard !responses.isEmpty else { return [] }
        let history = try PatientHistory.responses(db, patientID)
        var lines: [ScoreLine] = []
        for id in responses {
            guard let index = history.firstIndex(where: { $0.id == id }) else { continue }
            let response = history[index]
            let url = Self.url(of: response.questionnaireReference)
            let previous = history[..<index].last { Self.url(of: $0.questionnaireReference) == url }
            let earlier = try previous.map { try ScoreRecords.find(db, responseID: $0.id) } ?? [:]
            let definition = context.catalogue.definition(reference: response.questionnaireReference)
            for (linkId, score) in try ScoreRecords.find(db, responseID: id).sorted(by: { $0.key < $1.key }) {
                guard let value = score.value else { continue }
                let change = earlier[linkId]?.value.flatMap { Decimal(string: $0) }.flatMap { old in Decimal(string: value).map { $0 - old } }
                lines.append(ScoreLine(label: definition?.item(linkId: linkId)?.text ?? LocalizedText(linkId), value: value, change: change))
            }
        }
        return lines
    }

    /// "No answer" with how many times in a row.
    static func nonResponseReason(level: Int) -> LocalizedText {
        level <= 1 ? LocalizedText("Intet svar på spørgeskemaet", translations: ["en": "No answer to the questionnaire"])
            : LocalizedText("Intet svar \(level) gange i træk", translations: ["en": "No answer \(level) times in a row"])
    }

    /// The canonical URL of a `url|version` reference.
    static func url(of reference: String) -> String {
        String(reference.split(separator: "|", maxSplits: 1).first ?? "")
    }
}
