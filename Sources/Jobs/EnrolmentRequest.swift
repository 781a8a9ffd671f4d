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
    /// `email` or `letter`, as typed.
    public var delivery: String
    public var gpSORCode: String
    public var municipalityCode: String
    public var planID: String
    /// `YYYY-MM-DD`: the due date of the first questionnaire.
    public var startDate: String

    public init(cpr: String, name: String, email: String = "", mobile: String = "", language: String = "da",
                delivery: String = PatientContact.Delivery.email.rawValue, gpSORCode: String = "", municipalityCode: String = "",
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
        case name
        case delivery
        case emailMissing
        case emailInvalid(String)
        case mobile
        case languageUnknown(String)
        case planUnknown(String)
        case startDateInvalid(String)
        case sorCodeInvalid(String)
        case municipalityCodeInvalid(String)

        /// The form field the problem belongs to.
        public var field: String {
            switch self {
            case .cpr: "cpr"
            case .name: "name"
            case .delivery: "delivery-email"
            case .emailMissing, .emailInvalid: "email"
            case .mobile: "mobile"
            case .languageUnknown: "language"
            case .planUnknown: "plan"
            case .startDateInvalid: "start"
            case .sorCodeInvalid: "gp"
            case .municipalityCodeInvalid: "municipality"
            }
        }

        /// The problem in Danish (`da`) or English (`en…`).
        public func message(language: String) -> String {
            let (danish, english): (String, String) = switch self {
            case .cpr(let error): (error.message(language: "da"), error.message(language: "en"))
            case .name: ("Skriv patientens navn (højst \(EnrolmentRequest.maximumNameLength) tegn)",
                         "Enter the patient's name (at most \(EnrolmentRequest.maximumNameLength) characters)")
            case .delivery: ("Vælg e-mail eller brev", "Choose e-mail or letter")
            case .emailMissing: ("Skriv en e-mailadresse, eller vælg brev", "Enter an e-mail address, or choose letter")
            case .emailInvalid(let reason): ("E-mailadressen ser forkert ud: \(reason)", "The e-mail address looks wrong: \(reason)")
            case .mobile: ("Mobilnummeret skal være 8 til 15 cifre", "The mobile number must be 8 to 15 digits")
            case .languageUnknown(let code): ("Ukendt sprog \"\(code)\": vælg dansk eller engelsk", "Unknown language \"\(code)\": choose Danish or English")
            case .planUnknown(let id): ("Vælg et forløb (der findes intet forløb \"\(id)\")", "Choose a plan (there is no plan \"\(id)\")")
            case .startDateInvalid: ("Skriv datoen for det første spørgeskema (ÅÅÅÅ-MM-DD)", "Enter the date of the first questionnaire (YYYY-MM-DD)")
            case .sorCodeInvalid: ("SOR-koden må kun indeholde cifre (6 til 18)", "The SOR code may only contain digits (6 to 18)")
            case .municipalityCodeInvalid: ("Kommunekoden skal være 3 eller 4 cifre (fx 0101)", "The municipality code must be 3 or 4 digits (e.g. 0101)")
            }
            return language.hasPrefix("en") ? english : danish
        }
    }

    /// The longest name the form takes.
    public static let maximumNameLength = 200

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
        func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }
        func digits(_ text: String, _ count: ClosedRange<Int>) -> Bool { count.contains(text.count) && text.allSatisfy { $0.isASCII && $0.isNumber } }
        var problems: [Problem] = []
        var cprNumber: CPRNumber?
        do throws(CPRError) { cprNumber = try CPRNumber(trimmed(cpr)) } catch { problems.append(.cpr(error)) }
        let name = trimmed(self.name)
        if name.isEmpty || name.count > Self.maximumNameLength { problems.append(.name) }
        let delivery = PatientContact.Delivery(rawValue: self.delivery)
        if delivery == nil { problems.append(.delivery) }
        let email = trimmed(self.email)
        if email.isEmpty {
            if delivery == .email { problems.append(.emailMissing) }
        } else {
            do throws(DeliveryError) { _ = try MailAddress(email) } catch { problems.append(.emailInvalid(Self.reason(error))) }
        }
        let mobile = trimmed(self.mobile)
        if !mobile.isEmpty && !digits(mobile.filter { $0 != " " && $0 != "+" }, 8...15) { problems.append(.mobile) }
        if !["da", "en"].contains(language) { problems.append(.languageUnknown(language)) }
        let plan = plans.filter { $0.id == planID }.max { $0.version.compare($1.version, options: .numeric) == .orderedAscending }
        if plan == nil { problems.append(.planUnknown(planID)) }
        let start = CalendarDay(iso: trimmed(startDate))
        if start == nil { problems.append(.startDateInvalid(startDate)) }
        let gp = trimmed(gpSORCode)
        if !gp.isEmpty && !digits(gp, 6...18) { problems.append(.sorCodeInvalid(gp)) }
        let municipality = trimmed(municipalityCode)
        if !municipality.isEmpty && !digits(municipality, 3...4) { problems.append(.municipalityCodeInvalid(municipality)) }
        guard problems.isEmpty, let cprNumber, let plan, let start, let delivery else { return .failure(ProblemList(problems: problems)) }
        func optional(_ text: String) -> String? { text.isEmpty ? nil : text }
        return .success(Valid(cpr: cprNumber, name: name, language: language,
                              contact: PatientContact(email: optional(email), mobile: optional(mobile), delivery: delivery,
                                                      gpSORCode: optional(gp), municipalityCode: optional(municipality)),
                              plan: plan, startDate: start))
    }

    /// What is wrong with an address, without repeating the address.
    private static func reason(_ error: DeliveryError) -> String {
        if case .invalidAddress(_, let problem) = error { return problem.description }
        return error.description
    }

    /// The problems of a rejected request.
    public struct ProblemList: Error, Sendable, Hashable, CustomStringConvertible {
        public let problems: [Problem]
        public var description: String { problems.map { $0.message(language: "da") }.joined(separator: "\n") }
    }
}

/// Why a valid request could not be stored; the transaction rolls back, so nothing is stored.
public enum EnrolmentRefusal: Error, Sendable, Hashable {
    /// The patient already runs in this plan.
    case alreadyEnrolled
    /// The patient belongs to another department, which this one must not take over.
    case otherDepartment

    public func message(language: String) -> String {
        let english = language.hasPrefix("en")
        switch self {
        case .alreadyEnrolled: return english ? "The patient is already enrolled in this plan" : "Patienten er allerede tilmeldt dette forløb"
        case .otherDepartment: return english ? "The patient belongs to another department" : "Patienten hører til en anden afdeling"
        }
    }
}

extension EnrolmentRequest.Valid {
    /// Creates or updates the patient and enrols them in the department; inside the caller's
    /// write transaction, so a refused enrolment stores nothing.
    public func enrol(_ db: Connection, departmentID: DepartmentID, actor: String, now: Date) throws -> (Patient, StoredEnrolment) {
        let patient: Patient
        if let existing = try Patients.find(db, cpr: cpr.digits) {
            guard existing.departmentID == departmentID else { throw EnrolmentRefusal.otherDepartment }
            try Patients.update(db, existing.id, name: name, language: language, contact: contact)
            patient = existing
        } else {
            patient = try Patients.insert(db, cpr: cpr.digits, name: name, language: language, departmentID: departmentID, contact: contact)
        }
        do {
            let enrolment = try Enrolments.enrol(db, patientID: patient.id, departmentID: departmentID, planID: plan.id,
                                                 planVersion: plan.version, startDate: startDate, actor: actor, now: now)
            return (patient, enrolment)
        } catch StorageError.alreadyEnrolled {
            throw EnrolmentRefusal.alreadyEnrolled
        }
    }
}
