import FollowUp
import Foundation
import HTTPCore
import Jobs
import Sharing
import Storage
import Templating

/// Enrolling a patient in a follow-up plan: the patient is created or updated and enrolled in
/// one transaction, or, when anything is wrong, nothing is stored and the form says what.
extension StaffPages {
    /// What the enrolment form posted, as typed.
    struct EnrolForm {
        var cpr = "", name = "", email = "", mobile = "", language = "da", delivery = "email"
        var gp = "", municipality = "", plan = "", start = ""

        init(start: String) { self.start = start }

        init(_ fields: [(name: String, value: String)]) {
            let value = { (name: String) in (fields.first { $0.name == name }?.value ?? "").trimmingCharacters(in: .whitespaces) }
            cpr = value("cpr"); name = value("name"); email = value("email"); mobile = value("mobile")
            language = value("language"); delivery = value("delivery"); gp = value("gp"); municipality = value("municipality")
            plan = value("plan"); start = value("start")
        }
    }

    /// A problem with one field of the form.
    struct FieldError {
        let field: String
        let message: String
    }

    func enrolPage(_ request: HTTPRequest, _ signedIn: SignedIn) throws -> HTTPResponse {
        let today = CalendarDay(context.clock(), in: context.timeZone)
        return try enrolPage(signedIn, form: EnrolForm(start: today.description), errors: [], status: .ok)
    }

    /// The form is checked by `EnrolmentRequest`, the same rules `byneed enrol` applies.
    func enrol(_ request: HTTPRequest, _ signedIn: SignedIn) async throws -> HTTPResponse {
        let form = EnrolForm(FormData.decode(request.body))
        let language = signedIn.language
        let enrolmentRequest = EnrolmentRequest(cpr: form.cpr, name: form.name, email: form.email, mobile: form.mobile,
                                                language: Language(code: form.language)?.rawValue ?? "da", delivery: form.delivery,
                                                gpSORCode: form.gp, municipalityCode: form.municipality, planID: form.plan,
                                                startDate: form.start)
        let valid: EnrolmentRequest.Valid
        switch enrolmentRequest.validated(plans: context.plans) {
        case .success(let checked):
            valid = checked
        case .failure(let list):
            let errors = list.problems.map { FieldError(field: $0.field, message: $0.message(language: language.rawValue)) }
            return try enrolPage(signedIn, form: form, errors: errors, status: .unprocessableContent)
        }
        let account = signedIn.account
        let now = context.clock()
        let patientID: PatientID
        do {
            patientID = try await context.database.write { db -> PatientID in
                let (patient, _) = try valid.enrol(db, departmentID: account.departmentID, actor: account.username, now: now)
                try audit(db, signedIn, patient: patient.id, .change, "enrolment", basis: .treatmentRelation, now: now, detail: "enrolled \(valid.plan.reference)")
                return patient.id
            }
        } catch let refusal as EnrolmentRefusal {
            let error = FieldError(field: refusal == .alreadyEnrolled ? "plan" : "cpr", message: refusal.message(language: language.rawValue))
            return try enrolPage(signedIn, form: form, errors: [error], status: HTTPStatus(code: 409))
        }
        context.log.message("patient-enrolled", ["plan": valid.plan.reference])
        return .redirect(to: "/staff/patients/\(patientID.rawValue)")
    }

    private func enrolPage(_ signedIn: SignedIn, form: EnrolForm, errors: [FieldError], status: HTTPStatus) throws -> HTTPResponse {
        let language = signedIn.language
        let messages = Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { first, _ in first })
        func field(_ name: String, _ label: StaffText, _ value: String, type: String = "text", autocomplete: String = "off",
                   hint: StaffText? = nil) -> TemplateValue {
            var object: [String: TemplateValue] = ["id": .string(name), "label": .string(label.text(language)), "value": .string(value),
                                                   "type": .string(type), "autocomplete": .string(autocomplete)]
            if let message = messages[name] { object["error"] = .string(message) }
            if let hint { object["hint"] = .string(hint.text(language)) }
            let describedBy = [hint.map { _ in "\(name)-hint" }, messages[name].map { _ in "\(name)-error" }].compactMap { $0 }
            if !describedBy.isEmpty { object["describedBy"] = .string(describedBy.joined(separator: " ")) }
            return .object(object)
        }
        func choices(_ name: String, _ options: [(String, String)], chosen: String) -> TemplateValue {
            .array(options.map { .object(["id": .string("\(name)-\($0.0)"), "value": .string($0.0), "label": .string($0.1),
                                          "checked": .bool($0.0 == chosen)]) })
        }
        let content: TemplateValue = .object([
            "t": StaffText.labels(language),
            "csrf": .string(signedIn.session.csrfToken),
            "hasErrors": .bool(!errors.isEmpty),
            "errors": .array(errors.map { .object(["href": .string("#\($0.field)"), "message": .string($0.message)]) }),
            "errorSummaryTitle": .string(StaffText.errorSummary.text(language)),
            "fields": .array([
                field("cpr", .fieldCPR, form.cpr, hint: .hintCPR),
                field("name", .fieldName, form.name, autocomplete: "name"),
                field("email", .fieldEmail, form.email, type: "email", autocomplete: "email"),
                field("mobile", .fieldMobile, form.mobile, type: "tel", autocomplete: "tel"),
                field("gp", .fieldGP, form.gp, hint: .hintSOR),
                field("municipality", .fieldMunicipality, form.municipality, hint: .hintMunicipality),
            ]),
            "languages": choices("language", [("da", "Dansk"), ("en", "English")], chosen: form.language),
            "deliveries": choices("delivery", [("email", StaffText.deliveryEmail.text(language)),
                                               ("letter", StaffText.deliveryLetter.text(language))], chosen: form.delivery),
            "deliveryError": .string(messages["delivery-email"] ?? ""),
            "plans": .array(latestPlans().map { plan in
                .object(["value": .string(plan.id), "label": .string(plan.title.resolved(language: language.rawValue)),
                         "selected": .bool(plan.id == form.plan)])
            }),
            "planError": .string(messages["plan"] ?? ""),
            "start": field("start", .fieldStart, form.start, type: "date"),
        ])
        let title = (errors.isEmpty ? "" : StaffText.errorPrefix.text(language) + " ") + StaffText.enrolTitle.text(language)
        return try render("staff/enrol", title: title, content: content, language: language, signedIn: signedIn, status: status,
                          current: "/staff/enrol", back: "/staff/enrol")
    }
}
