import FollowUp
import Foundation
import Questionnaire
import SQLite
import Storage

/// Turns the plans into invitations, reminders and expiries: one pass over every running
/// enrolment, each in its own write transaction.
///
/// The pure `FollowUpScheduler` decides what is due; this applies it. Every action first
/// claims its key in the exactly-once ledger (`Rounds.claim`) in the same transaction as its
/// effects — the round, the invitations with their tokens, the message in the outbox — so a
/// pass repeated after a crash, or racing another pass, never sends anything twice, and a pass
/// after downtime catches up (the scheduler skips missed rounds rather than flooding the patient).
public struct FollowUpRunner: Sendable {
    public var plans: [FollowUpPlan]
    public var catalogue: QuestionnaireCatalogue
    public var composer: MessageComposer
    /// Local hour invitations and reminders go out (documented default 08:00).
    public var sendHour: Int

    public init(plans: [FollowUpPlan], catalogue: QuestionnaireCatalogue, composer: MessageComposer, sendHour: Int = 8) {
        self.plans = plans
        self.catalogue = catalogue
        self.composer = composer
        self.sendHour = sendHour
    }

    /// What one pass did.
    public struct Report: Sendable, Hashable {
        public var invitations = 0
        public var reminders = 0
        public var expiries = 0
        public var skips = 0
        /// Enrolments that could not be advanced, with the reason (a plan file removed, a
        /// questionnaire version missing); the others went on.
        public var failures: [String] = []

        public init() {}
    }

    /// Advances every running enrolment to `now`.
    public func run(_ database: Database, now: Date) async -> Report {
        var report = Report()
        let enrolments: [StoredEnrolment]
        do {
            enrolments = try database.read { try Enrolments.running($0) }
        } catch {
            report.failures.append("reading enrolments: \(error)")
            return report
        }
        for enrolment in enrolments {
            do {
                let counts = try await database.write { db in try advance(db, enrolmentID: enrolment.id, now: now) }
                report.invitations += counts.invitations
                report.reminders += counts.reminders
                report.expiries += counts.expiries
                report.skips += counts.skips
            } catch {
                report.failures.append("enrolment \(enrolment.id.rawValue): \(error)")
            }
        }
        return report
    }

    /// The scheduler for an enrolment's plan version.
    public func scheduler(for enrolment: StoredEnrolment) -> FollowUpScheduler? {
        plans.first { $0.id == enrolment.planID && $0.version == enrolment.planVersion }
            .map { FollowUpScheduler(plan: $0, timeZone: composer.timeZone, sendHour: sendHour) }
    }

    /// Applies every action due for one enrolment; runs inside the caller's write transaction.
    func advance(_ db: Connection, enrolmentID: EnrolmentID, now: Date) throws -> Report {
        var counts = Report()
        guard let enrolment = try Enrolments.find(db, id: enrolmentID) else { return counts }
        guard let scheduler = scheduler(for: enrolment) else { throw JobError.unknownPlan(enrolment.planReference) }
        guard let patient = try Patients.find(db, id: enrolment.patientID),
              let department = try Departments.find(db, id: enrolment.departmentID) else { throw JobError.missingRecord("patient or department") }
        let stored = try Rounds.all(db, enrolment.id)
        for action in scheduler.actions(for: enrolment.schedule, rounds: stored.map(\.round), now: now) {
            guard try Rounds.claim(db, action.key, now: now) else { continue }
            switch action.kind {
            case .skip(let dueDate):
                try Rounds.skip(db, enrolment.id, number: action.round, dueDate: dueDate, now: now)
                counts.skips += 1
            case .invite(let dueDate, let expiresAt, let questionnaires):
                let roundID = try Rounds.send(db, enrolment.id, number: action.round, dueDate: dueDate, expiresAt: expiresAt, now: now)
                let links = try questionnaires.map { reference in
                    guard let definition = catalogue.definition(url: reference.url, version: reference.version) else {
                        throw JobError.unknownQuestionnaire(reference.reference)
                    }
                    let token = try Invitations.create(db, patientID: patient.id, questionnaireURL: reference.url,
                                                       questionnaireVersion: reference.version, now: now, expiresAt: expiresAt,
                                                       roundID: roundID).token
                    return MessageComposer.Link(title: definition.title.resolved(language: patient.language), token: token)
                }
                try enqueue(db, .invitation, patient: patient, department: department, roundID: roundID, links: links,
                            expiresAt: expiresAt, now: now)
                counts.invitations += 1
            case .remind(let index, let expiresAt):
                guard let round = stored.first(where: { $0.round.number == action.round }) else { continue }
                let unanswered = try Invitations.forRound(db, round.id).filter { $0.responseID == nil }
                let links = try unanswered.map { invitation in
                    let title = catalogue.definition(url: invitation.questionnaireURL, version: invitation.questionnaireVersion)?
                        .title.resolved(language: patient.language) ?? invitation.questionnaireURL
                    return MessageComposer.Link(title: title, token: try Invitations.addLink(db, to: invitation.id, now: now))
                }
                try Rounds.remind(db, round.id, index: index)
                if !links.isEmpty {
                    try enqueue(db, .reminder, patient: patient, department: department, roundID: round.id, links: links,
                                expiresAt: expiresAt, now: now)
                    counts.reminders += 1
                }
            case .expire(let colour, let level):
                guard let round = stored.first(where: { $0.round.number == action.round }) else { continue }
                try Rounds.expire(db, round.id, colour: colour, level: level, now: now)
                counts.expiries += 1
            }
        }
        return counts
    }

    /// Queues the message by e-mail, or as a letter for patients on paper and for those
    /// without an e-mail address (so nobody silently gets nothing).
    private func enqueue(_ db: Connection, _ purpose: OutboxItem.Purpose, patient: Patient, department: Department,
                         roundID: RoundID, links: [MessageComposer.Link], expiresAt: Date, now: Date) throws {
        let email = patient.contact.delivery == .email ? patient.contact.email : nil
        try Outbox.enqueue(db, purpose: purpose, channel: email == nil ? .letter : .email, patientID: patient.id, roundID: roundID,
                           recipient: email, message: composer.message(purpose, patient: patient, department: department,
                                                                       links: links, expiresAt: expiresAt), now: now)
    }
}

/// Why a background job could not do its work for one record.
public enum JobError: Error, CustomStringConvertible {
    /// The enrolment's plan version is not among the loaded plans.
    case unknownPlan(String)
    /// A plan names a questionnaire version that is not in the catalogue.
    case unknownQuestionnaire(String)
    /// A row the job needs is missing.
    case missingRecord(String)

    public var description: String {
        switch self {
        case .unknownPlan(let reference): "plan \(reference) is not loaded (was its file removed?)"
        case .unknownQuestionnaire(let reference): "questionnaire \(reference) is not in the catalogue"
        case .missingRecord(let what): "missing \(what)"
        }
    }
}
