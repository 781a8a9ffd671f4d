import Foundation
import HTTPCore
import Sharing
import SQLite
import Storage
import Templating

/// The patient's own choices about sharing, and their access log, from their link.
///
/// The page says which organisations can see the answers and why (a treatment relation, or
/// the patient's consent), lets the patient block and unblock their GP and the municipal
/// health unit (spærring), and give or withdraw consent for the municipality's social
/// services. A choice applies from the next request on, everywhere. Every change is kept with
/// when and through which channel, and is itself in the audit log.
extension PatientPages {
    /// One organisation on the page and what the patient can do about it.
    private struct Row {
        let organisation: Department
        let why: String
        let visible: Bool
        /// `block`, `unblock`, `consent` or `withdraw-consent`.
        let action: SharingChoice.Kind?
    }

    func sharingPage(_ request: HTTPRequest, token: String) async throws -> HTTPResponse {
        let visit = try openVisit(token, allowSubmitted: true)
        let language = self.language(request.queryItems().first { $0.name == "lang" }?.value, visit)
        return try await renderSharing(visit, language: language, saved: false)
    }

    func changeSharing(_ request: HTTPRequest, token: String) async throws -> HTTPResponse {
        let visit = try openVisit(token, allowSubmitted: true)
        let fields = FormData.decode(request.body)
        let value = { (name: String) in fields.first { $0.name == name }?.value ?? "" }
        let language = self.language(value("lang"), visit)
        let patient = visit.patient
        let now = context.clock()
        let (choice, organisation) = (value("choice"), value("organisation"))
        let changed = try await context.database.write { db -> Bool in
            let rows = try Self.rows(db, patient: patient, now: now, language: language)
            guard let kind = SharingChoice.Kind(rawValue: choice),
                  let row = rows.first(where: { String($0.organisation.id.rawValue) == organisation && $0.action == kind })
            else { return false }
            try SharingRecords.record(db, patientID: patient.id, organisation: row.organisation, kind: kind, at: now,
                                      channel: "patient-page", actor: "patient")
            try AuditLog.append(db, AuditEntry(at: now, actorKind: .patient, actorID: nil, patientID: patient.id, action: .change,
                                               what: "sharing", legalBasis: LegalBasis.ownData.rawValue, outcome: "allowed",
                                               detail: "\(kind.rawValue) \(row.organisation.sorCode)"))
            return true
        }
        guard changed else { throw Failure.badForm }
        context.log.message("sharing-changed")
        return try await renderSharing(visit, language: language, saved: true)
    }

    private func renderSharing(_ visit: Visit, language: Language, saved: Bool) async throws -> HTTPResponse {
        let now = context.clock()
        let patient = visit.patient
        let (rows, history) = try context.database.read { db in
            (try Self.rows(db, patient: patient, now: now, language: language), try SharingRecords.choices(db, patient.id))
        }
        let actionLabel: [SharingChoice.Kind: Strings] = [.block: .sharingBlock, .unblock: .sharingUnblock,
                                                         .consent: .sharingGiveConsent, .withdrawConsent: .sharingWithdrawConsent]
        let content: TemplateValue = .object([
            "title": .string(Strings.sharingTitle.text(language)),
            "intro": .string(Strings.sharingIntro.text(language)),
            "saved": saved ? .string(Strings.sharingSaved.text(language)) : .bool(false),
            "whoLabel": .string(Strings.sharingWho.text(language)),
            "whyLabel": .string(Strings.sharingWhy.text(language)),
            "stateLabel": .string(Strings.sharingState.text(language)),
            "changeLabel": .string(Strings.sharingChange.text(language)),
            "consentNote": .string(Strings.sharingConsentNote.text(language)),
            "action": .string("/q/\(visit.token)/sharing"),
            "lang": .string(language.rawValue),
            "rows": .array(rows.map { row in
                .object(["name": .string(row.organisation.name), "why": .string(row.why),
                         "state": .string((row.visible ? Strings.sharingVisible : .sharingBlocked).text(language)),
                         "organisation": .string(String(row.organisation.id.rawValue)),
                         "choice": .string(row.action?.rawValue ?? ""),
                         "choiceLabel": row.action.flatMap { actionLabel[$0] }.map { .string($0.text(language)) } ?? .bool(false)])
            }),
            "historyTitle": .string(Strings.sharingHistory.text(language)),
            "historyEmpty": .string(Strings.sharingHistoryEmpty.text(language)),
            "history": .array(history.reversed().map { choice in
                .string("\(Self.readableInstant(choice.at, language, context.timeZone)) – \(actionLabel[choice.kind]?.text(language) ?? "") – \(choice.organisation.name)")
            }),
            "accessLogURL": .string("/q/\(visit.token)/access-log?lang=\(language.rawValue)"),
            "accessLogLabel": .string(Strings.accessLogLink.text(language)),
        ])
        return try render("patient/sharing", title: Strings.sharingTitle.text(language), content: content, language: language,
                          switchURL: "/q/\(visit.token)/sharing?lang=\(language.other.rawValue)")
    }

    /// The organisations that can, or could with consent, see the patient's answers.
    private static func rows(_ db: Connection, patient: Patient, now: Date, language: Language) throws -> [Row] {
        let state = try SharingRecords.state(db, patient.id)
        var rows: [Row] = []
        for stored in try SharingRecords.relations(db, patient.id) where stored.relation.isActive(at: now) {
            let sor = SORCode(stored.organisation.sorCode)
            let blocked = state.isBlocked(sor, at: now)
            let kind: String = switch (stored.relation.kind, language) {
            case (.responsibleDepartment, .danish): "hospitalsafdeling"
            case (.responsibleDepartment, .english): "hospital department"
            case (.generalPractitioner, .danish): "din egen læge"
            case (.generalPractitioner, .english): "your GP"
            case (.municipalHealthUnit, .danish): "kommunens sundhedspersonale"
            case (.municipalHealthUnit, .english): "municipal health staff"
            }
            // The department that follows the patient sees the answers it collects; a block is
            // about sharing with others (docs/access-policy.md).
            let action: SharingChoice.Kind? = stored.relation.kind == .responsibleDepartment ? nil : (blocked ? .unblock : .block)
            rows.append(Row(organisation: stored.organisation, why: Strings.sharingRelation(kind).text(language),
                            visible: stored.relation.kind == .responsibleDepartment || !blocked, action: action))
        }
        for unit in try patient.contact.municipalityCode.map({ try Departments.serving(db, municipalityCode: $0, kind: .municipalSocialServicesUnit) }) ?? [] {
            let sor = SORCode(unit.sorCode)
            let consent = state.consents.filter { $0.organisation == sor && $0.isActive(at: now) }.map(\.effectiveEnd).max()
            let why = consent.map { Strings.sharingConsentGiven(readableInstant($0.addingTimeInterval(-1), language, TimeZone(identifier: "Europe/Copenhagen") ?? .gmt)).text(language) }
                ?? Strings.sharingNoConsent.text(language)
            rows.append(Row(organisation: unit, why: why, visible: consent != nil && !state.isBlocked(sor, at: now),
                            action: consent == nil ? .consent : .withdrawConsent))
        }
        return rows
    }
}
