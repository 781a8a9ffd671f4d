import FollowUp
import Foundation
import HTTPCore
import Questionnaire
import Sharing
import SQLite
import Storage
import Templating

/// The view of the other sectors: a GP clinic's or a municipal unit's patients whom a hospital
/// department follows, as far as the access policy lets them see (relation and no block, or
/// the patient's consent for social-services units).
///
/// Every row passes `AccessPolicy.decide` first, so a blocked patient is neither listed nor
/// counted. A red answer newer than this organisation's last look at the patient is marked new.
extension StaffPages {
    func sharedPatients(_ request: HTTPRequest, _ signedIn: SignedIn) throws -> HTTPResponse {
        let language = signedIn.language
        let code = language.rawValue
        let now = context.clock()
        let format = self.format(language)
        let rows = try context.database.read { db -> [TemplateValue] in
            let user = try policyUser(db, signedIn)
            let organisationID = signedIn.account.departmentID
            let candidates = try db.query("""
                SELECT patient_id FROM treatment_relations WHERE organisation_id = ?1
                UNION SELECT patient_id FROM sharing_choices WHERE organisation_id = ?1 AND choice = 'consent'
                """, [.integer(organisationID.rawValue)]).map { PatientID(rawValue: try $0.int("patient_id")) }
            let worklist = StaffWorklist(context: context, now: now)
            var rows: [(entry: StaffWorklist.Entry, value: TemplateValue)] = []
            for patientID in candidates {
                let state = try SharingRecords.state(db, patientID)
                guard AccessPolicy.decide(actor: .staff(user), patient: state, data: .results, now: now).isAllowed else { continue }
                let lastLook = try Self.lastLook(db, patientID: patientID, organisationSOR: user.organisation.sor.value)
                for enrolment in try Enrolments.forPatient(db, patientID) where enrolment.schedule.endedAt == nil {
                    guard let entry = try worklist.entry(db, enrolment, names: [:]) else { continue }
                    let department = try Departments.find(db, id: enrolment.departmentID)
                    let scheduler = context.plan(id: enrolment.planID, version: enrolment.planVersion)
                        .map { FollowUpScheduler(plan: $0, timeZone: context.timeZone) }
                    let next = scheduler?.nextDueDate(for: enrolment.schedule, rounds: try Rounds.all(db, enrolment.id).map(\.round))
                    let decisions = try Decisions.forPatient(db, patientID).filter { decision in
                        try PatientHistory.enrolmentID(db, of: decision.subject).map { $0 == enrolment.id } ?? true
                    }
                    let lastDecision = decisions.first.map { "\(StaffPhrase.kind($0.kind).text(language)) · \(format.dateTime($0.decidedAt))" }
                    let isNew = entry.row.category == .red && (entry.row.answeredAt ?? now) > (lastLook ?? .distantPast)
                    let value: TemplateValue = .object([
                        "name": .string(entry.patient.name),
                        "cpr": .string(entry.row.cpr.masked),
                        "url": .string("/staff/patients/\(patientID.rawValue)"),
                        "department": .string(department?.name ?? ""),
                        "plan": .string(entry.planTitle.resolved(language: code)),
                        "colour": .string(entry.row.category.code),
                        "colourLabel": .string(entry.row.category.label.resolved(language: code)),
                        "reasons": .array(entry.row.reasons.map { .string($0.resolved(language: code)) }),
                        "scores": .array(entry.scores.map { .string("\($0.label.resolved(language: code)): \($0.value)") }),
                        "answered": .string(entry.row.answeredAt.map(format.dateTime) ?? "–"),
                        "next": .string(next?.formatted(language: code) ?? "–"),
                        "decision": .string(lastDecision ?? "–"),
                        "isNew": .bool(isNew),
                    ])
                    rows.append((entry, value))
                }
            }
            return Worklist.triageOrdered(rows.map(\.entry.row)).compactMap { row in rows.first { $0.entry.row == row }?.value }
        }
        let content: TemplateValue = .object(["t": StaffText.labels(language), "rows": .array(rows), "hasRows": .bool(!rows.isEmpty)])
        return try render("staff/shared", title: StaffText.sharedTitle.text(language), content: content, language: language,
                          signedIn: signedIn, current: "/staff/shared")
    }

    /// When anyone from the organisation last opened the patient (from the audit log).
    static func lastLook(_ db: Connection, patientID: PatientID, organisationSOR: String) throws -> Date? {
        try db.queryOne("""
            SELECT max(at) AS at FROM audit_events WHERE patient_id = ? AND organisation_sor = ? AND action = 'read'
            """, [.integer(patientID.rawValue), .text(organisationSOR)])?.optionalString("at").flatMap(Timestamp.date)
    }
}
