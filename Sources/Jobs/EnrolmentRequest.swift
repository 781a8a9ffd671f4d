import Delivery
import FollowUp
import Foundation
import SQLite
import Storage

/// An enrolment as a clinician or the CLI asks for it, before it is checked: the patient's
/// identity and contact, and the plan to follow. One set of rules for both ways in.
public struct EnrolmentRequest: Sendable, Hashable {
    public var cpr: String
    public var name: String
    public var email: String
    public var mobile: String
    public var language: String
    public var delivery: PatientContact.Delivery
    public var gpSORCode: String
    public var municipalityCode: String
    public var planID: String
    /// `YYYY-MM-DD`: the due date of the first questionnaire.
    public var startDate: String

    public init(cpr: String, name: String, email: String = "", mobile: String = "", language: String = "da",
                delivery: PatientContact.Delivery = .email, gpSORCode: String = "", municipalityCode: String = "",
                planID: String, startDate: String) {
        self.cpr = cpr
        self.name = name
        self.email = email
        self.mobile = mobile
        self.language = language
        self.delivery = delivery
        self.gpSORCode = gpSORCode
        self.municipalityCode = municipalityCode
        self.planID = planID
        self.startDate = startDate
    }

    /// What is wrong with a request, field by field, for the clinician.
    public enum Problem: Sendable, Hashable {
        case cpr(CPRError)
        case nameMissing
        case emailMissing
        case emailInvalid(String)
        case languageUnknown(String)
        case planUnknown(String)
        case startDateInvalid(String)
        case sorCodeInvalid(String)
        case municipalityCodeInvalid(String)

        /// The form field the problem belongs to.
        public var field: String {
            switch self {
            case .cpr: "cpr"
            case .nameMissing: "name"
            case .emailMissing, .emailInvalid: "email"
            case .languageUnknown: "language"
            case .planUnknown: "plan"
            case .startDateInvalid: "start"
            case .sorCodeInvalid: "gp"
            case .municipalityCodeInvalid: "municipality"
            }
        }

        /// The problem in Danish (`da`) or English.
        public func message(language: String) -> String {
            let english = language.hasPrefix("en")
            switch self {
            case .cpr(let error): return error.message(language: language)
            case .nameMissing: return english ? "Write the patient's name." : "Skriv patientens navn."
            case .emailMissing:
                return english ? "Invitations go by e-mail: write the patient's e-mail address, or choose a printed letter."
                    : "Invitationer sendes på e-mail: skriv patientens e-mailadresse, eller vælg brev."
            case .emailInvalid(let reason):
                return english ? "The e-mail address cannot be used: \(reason)." : "E-mailadressen kan ikke bruges: \(reason)."
            case .languageUnknown(let code): return english ? "Unknown language \"\(code)\": use da or en." : "Ukendt sprog \"\(code)\": brug da eller en."
            case .planUnknown(let id): return english ? "There is no plan \"\(id)\"." : "Der findes ingen plan \"\(id)\"."
            case .startDateInvalid(let text):
                return english ? "The start date \"\(text)\" is not a date (YYYY-MM-DD)." : "Startdatoen \"\(text)\" er ikke en dato (ÅÅÅÅ-MM-DD)."
            case .sorCodeInvalid(let text):
                return english ? "The GP's SOR code \"\(text)\" must be digits only." : "Lægens SOR-kode \"\(text)\" må kun være cifre."
            case .municipalityCodeInvalid(let text):
                return english ? "The municipality code \"\(text)\" must be three or four digits (e.g. 0101)."
                    : "Kommunekoden \"\(text)\" skal være tre eller fire cifre (fx 0101)."
            }
        }
    }

    /// A request that passed every check, ready to store.
    public struct Valid: Sendable, Hashable {
        public let cpr: CPRNumber
        public let name: String
        public let language: String
        public let contact: PatientContact
        public let plan: FollowUpPlan
        public let startDate: CalendarDay
    }

    /// Every problem at once, or the checked request. The plan is the newest version of `planID`.
    public func validated(plans: [FollowUpPlan]) -> Result<Valid, ProblemList> {
        var problems: [Problem] = []
        var cprNumber: CPRNumber?
        do throws(CPRError) { cprNumber = try CPRNumber(cpr) } catch { problems.append(.cpr(error)) }
        let trimmedName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmedName.isEmpty { problems.append(.nameMissing) }
        let trimmedEmail = email.trimmingCharacters(in: .whitespaces)
        if trimmedEmail.isEmpty {
            if delivery == .email { problems.append(.emailMissing) }
        } else {
            do throws(DeliveryError) { _ = try MailAddress(trimmedEmail) } catch { problems.append(.emailInvalid(error.description)) }
        }
        if !["da", "en"].contains(language) { problems.append(.languageUnknown(language)) }
        let plan = plans.filter { $0.id == planID }.max { $0.version.compare($1.version, options: .numeric) == .orderedAscending }
        if plan == nil { problems.append(.planUnknown(planID)) }
        let start = CalendarDay(iso: startDate.trimmingCharacters(in: .whitespaces))
        if start == nil { problems.append(.startDateInvalid(startDate)) }
        let gp = gpSORCode.trimmingCharacters(in: .whitespaces)
        if !gp.isEmpty && !(gp.allSatisfy(\.isASCII) && gp.allSatisfy(\.isNumber)) { problems.append(.sorCodeInvalid(gp)) }
        let municipality = municipalityCode.trimmingCharacters(in: .whitespaces)
        if !municipality.isEmpty && !((3...4).contains(municipality.count) && municipality.allSatisfy(\.isASCII) && municipality.allSatisfy(\.isNumber)) {
            problems.append(.municipalityCodeInvalid(municipality))
        }
        guard problems.isEmpty, let cprNumber, let plan, let start else { return .failure(ProblemList(problems: problems)) }
        func optional(_ text: String) -> String? { text.isEmpty ? nil : text }
        let mobileText = mobile.trimmingCharacters(in: .whitespaces)
        return .success(Valid(cpr: cprNumber, name: trimmedName, language: language,
                              contact: PatientContact(email: optional(trimmedEmail), mobile: optional(mobileText), delivery: delivery,
                                                      gpSORCode: optional(gp), municipalityCode: optional(municipality)),
                              plan: plan, startDate: start))
    }

    /// The problems of a rejected request.
    public struct ProblemList: Error, Sendable, Hashable, CustomStringConvertible {
        public let problems: [Problem]
        public var description: String { problems.map { $0.message(language: "da") }.joined(separator: "\n") }
    }
}

extension EnrolmentRequest.Valid {
    /// Creates or updates the patient and enrols them in the department; inside the caller's
    /// write transaction, so a refused enrolment (already enrolled) stores nothing.
    public func enrol(_ db: Connection, departmentID: DepartmentID, actor: String, now: Date) throws -> StoredEnrolment {
        let patient: Patient
        if let existing = try Patients.find(db, cpr: cpr.digits) {
            try Patients.update(db, existing.id, name: name, language: language, contact: contact)
            patient = existing
        } else {
            patient = try Patients.insert(db, cpr: cpr.digits, name: name, language: language, departmentID: departmentID, contact: contact)
        }
        return try Enrolments.enrol(db, patientID: patient.id, departmentID: departmentID, planID: plan.id, planVersion: plan.version,
                                    startDate: startDate, actor: actor, now: now)
    }
}
