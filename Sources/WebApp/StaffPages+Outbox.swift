import Foundation
import HTTPCore
import SQLite
import Sharing
import Storage
import Templating

/// The staff side of the outbox: letters to print and post, and messages that failed.
extension StaffPages {
    func letters(_ request: HTTPRequest, _ signedIn: SignedIn) throws -> HTTPResponse {
        let language = signedIn.language
        let format = self.format(language)
        let rows = try context.database.read { db in
            try Outbox.lettersToPrint(db).compactMap { item -> TemplateValue? in
                guard let patient = try Patients.find(db, id: item.patientID), patient.departmentID == signedIn.account.departmentID else { return nil }
                return .object(["id": .string(String(item.id.rawValue)), "name": .string(patient.name),
                                "purpose": .string((item.purpose == .invitation ? StaffText.purposeInvitation : .purposeReminder).text(language)),
                                "created": .string(format.dateTime(item.createdAt)),
                                "printURL": .string("/staff/letters/\(item.id.rawValue)"),
                                "postedAction": .string("/staff/letters/\(item.id.rawValue)/posted")])
            }
        }
        let content: TemplateValue = .object(["t": StaffText.labels(language), "csrf": .string(signedIn.session.csrfToken),
                                              "rows": .array(rows), "hasRows": .bool(!rows.isEmpty)])
        return try render("staff/letters", title: StaffText.lettersTitle.text(language), content: content, language: language,
                          signedIn: signedIn, current: "/staff/letters", back: "/staff/letters")
    }

    /// One letter as a printable page: the name block and the message text, nothing else on paper.
    func letter(_ request: HTTPRequest, _ signedIn: SignedIn, id: String?) async throws -> HTTPResponse {
        let language = signedIn.language
        let now = context.clock()
        let (item, patient) = try await context.database.write { db in
            let found = try departmentLetter(db, id, signedIn)
            try audit(db, signedIn, patient: found.1.id, .read, "letter", basis: .treatmentRelation, now: now)
            return found
        }
        guard let message = item.message else { throw Failure.notFound }
        let content: TemplateValue = .object([
            "t": StaffText.labels(language), "csrf": .string(signedIn.session.csrfToken), "name": .string(patient.name),
            "subject": .string(message.subject),
            "paragraphs": .array(message.text.components(separatedBy: "\n\n").map { .string($0) }),
            "postedAction": .string("/staff/letters/\(item.id.rawValue)/posted"),
        ])
        return try render("staff/letter", title: "\(StaffText.letterTitle.text(language)) – \(patient.name)", content: content,
                          language: language, signedIn: signedIn, current: "/staff/letters", back: "/staff/letters")
    }

    /// Records that a letter was printed and posted: its delivery, after which its text (with
    /// the link) is no longer kept.
    func markPosted(_ request: HTTPRequest, _ signedIn: SignedIn, id: String?) async throws -> HTTPResponse {
        let now = context.clock()
        try await context.database.write { db in
            let (item, patient) = try departmentLetter(db, id, signedIn)
            guard item.state == .pending else { return }
            try Outbox.record(db, item.id, outcome: .delivered, now: now)
            try audit(db, signedIn, patient: patient.id, .change, "letter", basis: .treatmentRelation, now: now, detail: "posted")
        }
        return .redirect(to: "/staff/letters")
    }

    func deliveries(_ request: HTTPRequest, _ signedIn: SignedIn) throws -> HTTPResponse {
        let language = signedIn.language
        let format = self.format(language)
        let rows = try context.database.read { db in
            try Outbox.problems(db).compactMap { item -> TemplateValue? in
                guard let patient = try Patients.find(db, id: item.patientID), patient.departmentID == signedIn.account.departmentID else { return nil }
                return .object([
                    "name": .string(patient.name), "patientURL": .string("/staff/patients/\(patient.id.rawValue)"),
                    "purpose": .string((item.purpose == .invitation ? StaffText.purposeInvitation : .purposeReminder).text(language)),
                    "channel": .string((item.channel == .email ? StaffText.deliveryEmail : .deliveryLetter).text(language)),
                    "state": .string(StaffPhrase.state(item.state).text(language)),
                    "attempts": .string(String(item.attempts)),
                    "next": .string(item.state == .pending ? format.dateTime(item.nextAttemptAt) : "–"),
                    "error": .string(item.lastError ?? "–"),
                ])
            }
        }
        let content: TemplateValue = .object(["t": StaffText.labels(language), "rows": .array(rows), "hasRows": .bool(!rows.isEmpty)])
        return try render("staff/deliveries", title: StaffText.deliveriesTitle.text(language), content: content, language: language,
                          signedIn: signedIn, current: "/staff/deliveries", back: "/staff/deliveries")
    }

    /// A letter in the outbox for a patient of the signed-in department, else `notFound`.
    private func departmentLetter(_ db: Connection, _ rawID: String?, _ signedIn: SignedIn) throws -> (OutboxItem, Patient) {
        guard let rawID, let number = Int64(rawID), let item = try Outbox.find(db, id: OutboxID(rawValue: number)), item.channel == .letter,
              let patient = try Patients.find(db, id: item.patientID), patient.departmentID == signedIn.account.departmentID else {
            throw Failure.notFound
        }
        return (item, patient)
    }
}
