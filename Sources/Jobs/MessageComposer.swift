import FollowUp
import Foundation
import Questionnaire
import Storage

/// Writes the invitations and reminders patients receive, in their language.
///
/// Plain words, the department's name and phone number, one link per questionnaire, and the
/// last day the links work: what a patient needs to answer, or to call instead. The HTML part
/// says the same as the text part; every value in it is escaped.
public struct MessageComposer: Sendable {
    /// Where links point: the public origin the reverse proxy serves (`https://byneed.example.dk`).
    public var publicBaseURL: String
    public var timeZone: TimeZone

    public init(publicBaseURL: String, timeZone: TimeZone) {
        self.publicBaseURL = publicBaseURL.hasSuffix("/") ? String(publicBaseURL.dropLast()) : publicBaseURL
        self.timeZone = timeZone
    }

    /// One questionnaire to answer: its title in the patient's language and the link token.
    public struct Link: Sendable, Hashable {
        public var title: String
        public var token: String

        public init(title: String, token: String) {
            self.title = title
            self.token = token
        }
    }

    /// The message for `purpose` to `patient` from `department`, with `links` valid until `expiresAt`.
    public func message(_ purpose: OutboxItem.Purpose, patient: Patient, department: Department, links: [Link],
                        expiresAt: Date) -> OutboxMessage {
        let english = patient.language == "en"
        let lastDay = CalendarDay(expiresAt.addingTimeInterval(-1), in: timeZone).formatted(language: patient.language)
        let subject: String
        let opening: String
        switch (purpose, english) {
        case (.invitation, false):
            subject = "Nyt spørgeskema fra \(department.name)"
            opening = "\(department.name) beder dig besvare \(links.count == 1 ? "et spørgeskema" : "\(links.count) spørgeskemaer"). Dine svar viser, om du har brug for kontakt eller et besøg."
        case (.invitation, true):
            subject = "New questionnaire from \(department.name)"
            opening = "\(department.name) asks you to answer \(links.count == 1 ? "a questionnaire" : "\(links.count) questionnaires"). Your answers show whether you need contact or a visit."
        case (.reminder, false):
            subject = "Påmindelse: spørgeskema fra \(department.name)"
            opening = "Vi har endnu ikke modtaget dine svar. Har du allerede svaret, kan du se bort fra denne besked."
        case (.reminder, true):
            subject = "Reminder: questionnaire from \(department.name)"
            opening = "We have not yet received your answers. If you have already answered, please ignore this message."
        }
        let deadline = english ? "The links work until and including \(lastDay)." : "Linkene virker til og med \(lastDay)."
        let call = english ? "If you would rather talk to us, call \(department.phone)."
            : "Vil du hellere tale med os, så ring på \(department.phone)."
        let greeting = english ? "Dear \(patient.name)," : "Kære \(patient.name)"
        let regards = english ? "Kind regards\n\(department.name)" : "Venlig hilsen\n\(department.name)"
        let linkLines = links.map { "\($0.title): \(url($0.token))" }
        let text = ([greeting, "", opening, ""] + linkLines + ["", deadline, call, "", regards]).joined(separator: "\n")
        let items = links.map { "<li><a href=\"\(escape(url($0.token)))\">\(escape($0.title))</a></li>" }.joined()
        let html = """
            <!doctype html><html lang="\(english ? "en" : "da")"><head><meta charset="utf-8"><title>\(escape(subject))</title></head>\
            <body><p>\(escape(greeting))</p><p>\(escape(opening))</p><ul>\(items)</ul><p>\(escape(deadline))</p>\
            <p>\(escape(call))</p><p>\(escape(regards).replacingOccurrences(of: "\n", with: "<br>"))</p></body></html>
            """
        return OutboxMessage(subject: subject, text: text, html: html)
    }

    /// The patient's link for a token.
    public func url(_ token: String) -> String {
        "\(publicBaseURL)/q/\(token)"
    }

    private func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
