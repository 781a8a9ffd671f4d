import FollowUp
import Foundation
import HTTPCore
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

    func enrol(_ request: HTTPRequest, _ signedIn: SignedIn) async throws -> HTTPResponse {
        let form = EnrolForm(FormData.decode(request.body))
        let language = signedIn.language
        var errors: [FieldError] = []
        var cpr: CPRNumber?
        do {
            cpr = try CPRNumber(form.cpr)
        } catch {
            errors.append(FieldError(field: "cpr", message: error.message(language: language.rawValue)))
        }
        if form.name.isEmpty || form.name.count > 200 { errors.append(FieldError(field: "name", message: StaffText.errorName.text(language))) }
        let delivery = PatientContact.Delivery(rawValue: form.delivery)
        if delivery == nil { errors.append(FieldError(field: "delivery-email", message: StaffText.errorDelivery.text(language))) }
        if !form.email.isEmpty && !Self.looksLikeEmail(form.email) {
            errors.append(FieldError(field: "email", message: StaffText.errorEmail.text(language)))
        } else if delivery == .email && form.email.isEmpty {
            errors.append(FieldError(field: "email", message: StaffText.errorEmailMissing.text(language)))
        }
        if !form.mobile.isEmpty && !Self.isDigits(form.mobile.filter { $0 != " " && $0 != "+" }, count: 8...15) {
            errors.append(FieldError(field: "mobile", message: StaffText.errorMobile.text(language)))
        }
        if !form.gp.isEmpty && !Self.isDigits(form.gp, count: 6...18) { errors.append(FieldError(field: "gp", message: StaffText.errorSOR.text(language))) }
        if !form.municipality.isEmpty && !Self.isDigits(form.municipality, count: 3...4) {
            errors.append(FieldError(field: "municipality", message: StaffText.errorMunicipality.text(language)))
        }
        let patientLanguage = Language(code: form.language) ?? .danish
        let plan = context.latestPlan(id: form.plan)
        if plan == nil { errors.append(FieldError(field: "plan", message: StaffText.errorPlan.text(language))) }
        let start = CalendarDay(iso: form.start)
        if start == nil { errors.append(FieldError(field: "start", message: StaffText.errorStart.text(language))) }
        guard errors.isEmpty, let cpr, let plan, let start, let delivery else {
            return try enrolPage(signedIn, form: form, errors: errors, status: .unprocessableContent)
        }
        let contact = PatientContact(email: form.email.isEmpty ? nil : form.email, mobile: form.mobile.isEmpty ? nil : form.mobile,
                                     delivery: delivery, gpSORCode: form.gp.isEmpty ? nil : form.gp,
                                     municipalityCode: form.municipality.isEmpty ? nil : form.municipality)
        let account = signedIn.account
        let now = context.clock()
        let patientID: PatientID
        do {
            patientID = try await context.database.write { db -> PatientID in
                let patient: Patient
                if let existing = try Patients.find(db, cpr: cpr.digits) {
                    guard existing.departmentID == account.departmentID else { throw EnrolRefusal.otherDepartment }
                    try Patients.update(db, existing.id, name: form.name, language: patientLanguage.rawValue, contact: contact)
                    patient = existing
                } else {
                    patient = try Patients.insert(db, cpr: cpr.digits, name: form.name, language: patientLanguage.rawValue,
                                                  departmentID: account.departmentID, contact: contact)
                }
                do {
                    _ = try Enrolments.enrol(db, patientID: patient.id, departmentID: account.departmentID, planID: plan.id,
                                             planVersion: plan.version, startDate: start, actor: account.username, now: now)
                } catch StorageError.alreadyEnrolled {
                    throw EnrolRefusal.alreadyEnrolled
                }
                try audit(db, signedIn, patient: patient.id, .change, "enrolment", now: now, detail: "enrolled \(plan.reference)")
                return patient.id
            }
        } catch let refusal as EnrolRefusal {
            let message = (refusal == .alreadyEnrolled ? StaffText.errorAlreadyEnrolled : .errorOtherDepartment).text(language)
            return try enrolPage(signedIn, form: form, errors: [FieldError(field: refusal == .alreadyEnrolled ? "plan" : "cpr", message: message)],
                                 status: HTTPStatus(code: 409))
        }
        context.log.message("patient-enrolled", ["plan": plan.reference])
        return .redirect(to: "/staff/patients/\(patientID.rawValue)")
    }

    /// Why a valid form could not be stored; the write is rolled back, so nothing is stored.
    enum EnrolRefusal: Error {
        case alreadyEnrolled
        case otherDepartment
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

    /// Something `@` something with a dot in the domain, no spaces: enough to catch typing
    /// mistakes; the relay's answer is what proves an address.
    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !text.contains(where: \.isWhitespace) && text.count <= 254
    }

    static func isDigits(_ text: String, count: ClosedRange<Int>) -> Bool {
        count.contains(text.count) && text.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
