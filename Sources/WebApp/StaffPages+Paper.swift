import FollowUp
import Foundation
import HTTPCore
import Sharing
import Storage
import Templating

/// Staff typing in a questionnaire the patient filled in on paper.
///
/// The staff member gets a one-day link to the ordinary patient form for that questionnaire;
/// the response is stored with the staff member as its author and the paper's date as when it
/// was answered (`Respondent.paper`), so it is scored, triaged and shown like any other.
extension StaffPages {
    /// How long the entry link works: long enough for one sitting.
    static let paperEntryValidity: Duration = .seconds(24 * 3600)

    func startPaperEntry(_ request: HTTPRequest, _ signedIn: SignedIn, id: String?) async throws -> HTTPResponse {
        let fields = FormData.decode(request.body)
        let value = { (name: String) in (fields.first { $0.name == name }?.value ?? "").trimmingCharacters(in: .whitespaces) }
        guard let definition = context.catalogue.definition(reference: value("questionnaire")) else { throw Failure.notFound }
        let today = CalendarDay(context.clock(), in: context.timeZone)
        guard let paperDate = CalendarDay(iso: value("date")), paperDate <= today else {
            return try messagePage(.paperTitle, .errorPaperDate, language: signedIn.language, signedIn: signedIn,
                                   status: .unprocessableContent)
        }
        let account = signedIn.account
        let now = context.clock()
        let token = try await context.database.write { db -> String in
            let (patient, basis) = try accessiblePatient(db, id, for: signedIn, data: .decisions, acting: true, now: now)
            let created = try Invitations.createForPaper(db, patientID: patient.id, questionnaireURL: definition.url,
                                                         questionnaireVersion: definition.version, enteredBy: account.id,
                                                         paperDate: paperDate.description, now: now, validFor: Self.paperEntryValidity)
            try audit(db, signedIn, patient: patient.id, .change, "paper-entry", basis: basis, now: now,
                      detail: "\(definition.reference) dated \(paperDate)")
            return created.token
        }
        return .redirect(to: "/q/\(token)?lang=\(signedIn.language.rawValue)")
    }

    /// The questionnaires staff can type in for a patient: those of their running plans.
    func paperQuestionnaires(_ enrolments: [StoredEnrolment], language: Language) -> [TemplateValue] {
        var seen = Set<String>()
        return enrolments.filter { $0.schedule.endedAt == nil }
            .compactMap { context.plan(id: $0.planID, version: $0.planVersion) }
            .flatMap(\.questionnaires)
            .filter { seen.insert($0.reference).inserted }
            .compactMap { reference in
                context.catalogue.definition(reference: reference.reference).map { definition in
                    .object(["value": .string(reference.reference), "label": .string(definition.title.resolved(language: language.rawValue))])
                }
            }
    }
}
