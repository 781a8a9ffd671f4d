import Foundation
import HTTPCore
import Sharing
import SQLite
import Storage
import Templating

/// The patient's access log: who saw or changed their information, when and why, from the
/// audit log. Staff are named by organisation and role, and by name unless they are protected
/// (MISSION.md: staff may need their names masked); emergency access is marked.
extension PatientPages {
    func accessLog(_ request: HTTPRequest, token: String) async throws -> HTTPResponse {
        let visit = try openVisit(token, allowSubmitted: true)
        let language = self.language(request.queryItems().first { $0.name == "lang" }?.value, visit)
        let timeZone = context.timeZone
        let rows = try context.database.read { db -> [TemplateValue] in
            try AuditLog.forPatient(db, visit.patient.id).filter { $0.actorKind != .patient }.map { entry in
                let organisation = try entry.organisationSOR.flatMap { try Departments.find(db, sorCode: $0) }
                let account = try entry.actorID.flatMap(Int64.init).flatMap { try StaffAccounts.find(db, id: StaffAccountID(rawValue: $0)) }
                var who = [organisation?.name ?? Self.systemName(language), Self.roleName(entry.actorRole, language)].compactMap { $0 }
                if entry.actorKind == .staff, let account, !account.isProtected { who.insert(account.displayName, at: 0) }
                let emergency = entry.legalBasis == LegalBasis.vitalInterest.rawValue
                return .object([
                    "when": .string(Self.readableInstant(entry.at, language, timeZone)),
                    "who": .string(who.joined(separator: ", ")),
                    "what": .string(Self.actionName(entry, language)),
                    "why": .string(Self.basisName(entry.legalBasis, language)),
                    "emergency": emergency ? .string(Strings.accessLogEmergency.text(language)) : .bool(false),
                ])
            }
        }
        let content: TemplateValue = .object([
            "title": .string(Strings.accessLogTitle.text(language)), "intro": .string(Strings.accessLogIntro.text(language)),
            "empty": .string(Strings.accessLogEmpty.text(language)), "rows": .array(rows), "hasRows": .bool(!rows.isEmpty),
            "whenLabel": .string(Strings.accessLogWhen.text(language)), "whoLabel": .string(Strings.accessLogWho.text(language)),
            "whatLabel": .string(Strings.accessLogWhat.text(language)), "whyLabel": .string(Strings.accessLogWhy.text(language)),
            "sharingURL": .string("/q/\(visit.token)/sharing?lang=\(language.rawValue)"),
            "sharingLabel": .string(Strings.sharingLink.text(language)),
        ])
        return try render("patient/access-log", title: Strings.accessLogTitle.text(language), content: content, language: language,
                          switchURL: "/q/\(visit.token)/access-log?lang=\(language.other.rawValue)")
    }

    private static func systemName(_ language: Language) -> String {
        language == .danish ? "ByNeed (system)" : "ByNeed (system)"
    }

    private static func roleName(_ role: String?, _ language: Language) -> String? {
        let danish = language == .danish
        return switch role {
        case "health-professional": danish ? "sundhedsperson" : "health professional"
        case "municipal-health-staff": danish ? "kommunalt sundhedspersonale" : "municipal health staff"
        case "municipal-non-health-staff": danish ? "kommunal sagsbehandler" : "municipal case worker"
        case "administrator": danish ? "administrator" : "administrator"
        case "analyst": danish ? "analytiker" : "analyst"
        default: nil
        }
    }

    private static func actionName(_ entry: AuditEntry, _ language: Language) -> String {
        let danish = language == .danish
        if entry.action == .denied { return danish ? "Forsøgte at se dine oplysninger – afvist" : "Tried to see your information – refused" }
        return switch (entry.what, entry.action) {
        case ("patient-overview", _): danish ? "Så dit overblik og dine svar" : "Saw your overview and answers"
        case ("decision", .read): danish ? "Så en vurdering af dine svar" : "Saw an assessment of your answers"
        case ("decision", _): danish ? "Registrerede en vurdering af dine svar" : "Recorded an assessment of your answers"
        case ("enrolment", _): danish ? "Ændrede dit forløb" : "Changed your follow-up plan"
        case ("paper-entry", _): danish ? "Indtastede et papirskema" : "Entered a paper questionnaire"
        case ("letter", _): danish ? "Udskrev et brev til dig" : "Printed a letter to you"
        case ("list-csv", _): danish ? "Hentede en liste med dig" : "Downloaded a list that includes you"
        default: danish ? "Så dine oplysninger" : "Saw your information"
        }
    }

    private static func basisName(_ basis: String?, _ language: Language) -> String {
        let danish = language == .danish
        return switch basis.flatMap(LegalBasis.init(rawValue:)) {
        case .treatmentRelation: danish ? "Behandler dig" : "Treats you"
        case .consent: danish ? "Dit samtykke" : "Your consent"
        case .vitalInterest: danish ? "Nødadgang (din livsvigtige interesse)" : "Emergency access (your vital interest)"
        case .ownData: danish ? "Dine egne oplysninger" : "Your own information"
        case .aggregate, .noPersonalData, nil: "–"
        }
    }
}
