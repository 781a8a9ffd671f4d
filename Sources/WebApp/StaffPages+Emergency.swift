import Foundation
import HTTPCore
import Sharing
import SQLite
import Storage
import Templating

/// Emergency access ("break the glass", sundhedsloven §42a stk. 2): a health professional
/// without a treatment relation opens a patient by CPR number with a reason. The policy decides
/// (never against the patient's block); a grant lasts an hour, every read under it is audited
/// with the vital-interest basis and shown to the patient as emergency access, and the
/// organisation's grants are listed for review.
extension StaffPages {
    func emergencyPage(_ request: HTTPRequest, _ signedIn: SignedIn) throws -> HTTPResponse {
        try renderEmergency(signedIn, cpr: "", reason: "", error: nil, status: .ok)
    }

    func breakGlass(_ request: HTTPRequest, _ signedIn: SignedIn) async throws -> HTTPResponse {
        let fields = FormData.decode(request.body)
        let value = { (name: String) in (fields.first { $0.name == name }?.value ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        let (cpr, reason) = (value("cpr").filter { $0 != "-" }, value("reason"))
        guard !reason.isEmpty, reason.count <= 500 else {
            return try renderEmergency(signedIn, cpr: cpr, reason: reason, error: .errorEmergencyReason, status: .unprocessableContent)
        }
        let now = context.clock()
        let account = signedIn.account
        let granted = try await context.database.write { db -> PatientID? in
            guard let patient = try Patients.find(db, cpr: cpr) else { return nil }
            let decision = AccessPolicy.decide(actor: .staff(try policyUser(db, signedIn)), patient: try SharingRecords.state(db, patient.id),
                                               data: .results, purpose: .emergency(reason: reason), now: now)
            guard decision.isAllowed else { throw Failure.denied(patient: patient.id, data: .results, reason: decision.auditCode) }
            if decision.isEmergency {
                try EmergencyAccesses.grant(db, staffID: account.id, patientID: patient.id, reason: reason, now: now)
                try audit(db, signedIn, patient: patient.id, .read, "emergency-access", basis: .vitalInterest, now: now, detail: reason)
            }
            return patient.id
        }
        guard let granted else { throw Failure.denied(patient: nil, data: .results, reason: "denied:unknownPatient") }
        context.log.message("emergency-access")
        return .redirect(to: "/staff/patients/\(granted.rawValue)")
    }

    /// The organisation's emergency accesses, for the supervisor's review.
    func emergencyReview(_ request: HTTPRequest, _ signedIn: SignedIn) throws -> HTTPResponse {
        let language = signedIn.language
        let format = self.format(language)
        let rows = try context.database.read { db in
            try EmergencyAccesses.forOrganisation(db, signedIn.account.departmentID).map { access -> TemplateValue in
                .object(["when": .string(format.dateTime(access.grantedAt)),
                         "who": .string(try StaffAccounts.find(db, id: access.staffID)?.displayName ?? ""),
                         "patient": .string((try Patients.find(db, id: access.patientID)).map { "\($0.name) (\(($0.cpr.prefix(6))))" } ?? ""),
                         "reason": .string(access.reason)])
            }
        }
        let content: TemplateValue = .object(["t": StaffText.labels(language), "rows": .array(rows), "hasRows": .bool(!rows.isEmpty),
                                              "csrf": .string(signedIn.session.csrfToken)])
        return try render("staff/emergency-review", title: StaffText.emergencyReviewTitle.text(language), content: content,
                          language: language, signedIn: signedIn, current: "/staff/emergency")
    }

    private func renderEmergency(_ signedIn: SignedIn, cpr: String, reason: String, error: StaffText?, status: HTTPStatus) throws -> HTTPResponse {
        let language = signedIn.language
        let content: TemplateValue = .object(["t": StaffText.labels(language), "csrf": .string(signedIn.session.csrfToken),
                                              "cpr": .string(cpr), "reason": .string(reason),
                                              "error": error.map { .string($0.text(language)) } ?? .bool(false)])
        return try render("staff/emergency", title: StaffText.emergencyTitle.text(language), content: content, language: language,
                          signedIn: signedIn, status: status, current: "/staff/emergency")
    }
}
