import Foundation
import Questionnaire

/// The text shown in a page's inputs, keyed by field name.
///
/// After a failed POST the page shows exactly what the patient typed (even "abc" in a number
/// field), so nothing they wrote is lost; otherwise it shows the saved draft, or for a page
/// never saved, the definition's initial values.
struct FieldValues {
    private var values: [String: [String]] = [:]

    /// What the browser posted.
    init(posted fields: [(name: String, value: String)]) {
        for field in fields { values[field.name, default: []].append(field.value) }
    }

    /// The saved answers of a page's items as form input (the definition's initial answers
    /// for a page never saved), with decimal commas for Danish readers.
    init(definition: QuestionnaireDefinition, pageIndex: Int, draft: ResponseAnswers?, format: AnswerFormat) {
        let answers = draft ?? definition.initialAnswers
        for item in definition.pages[pageIndex].allItems {
            let numeric = item.type == .decimal || item.type == .quantity
            for field in definition.formFields(for: item.linkId, answers: answers, timeZone: format.timeZone) {
                let localised = numeric && field.name == definition.fieldName(for: item.linkId)
                    ? format.localisedDecimal(field.value) : field.value
                values[field.name, default: []].append(localised)
            }
        }
    }

    func values(_ name: String) -> [String] { values[name] ?? [] }
    func first(_ name: String) -> String { values[name]?.first ?? "" }
}

/// How answer values are written for a patient: decimal commas in Danish, local times.
struct AnswerFormat {
    let language: Language
    let timeZone: TimeZone

    /// A decimal's text with the reader's decimal separator.
    func localisedDecimal(_ text: String) -> String {
        language == .danish ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    /// The text of an answer to `item` as a person reads it: the chosen option's label in
    /// the reader's language, else the value itself.
    func text(_ answer: AnswerValue, of item: QuestionnaireItem) -> String {
        item.answerOptions.first { $0.value.matches(answer) }?.display.resolved(language: language.rawValue) ?? text(answer)
    }

    /// The text of a value as a person reads it.
    func text(_ answer: AnswerValue) -> String {
        switch answer {
        case .boolean(let flag): (flag ? Strings.yes : Strings.no).text(language)
        case .decimal(let value): localisedDecimal(value.description)
        case .integer(let value): String(value)
        case .date(let text): text
        case .dateTime(let text): readableDateTime(text)
        case .string(let text): text
        case .coding(let coding): coding.display ?? coding.code
        case .quantity(let quantity):
            [localisedDecimal(quantity.value.description), quantity.unit ?? quantity.code ?? ""]
                .filter { !$0.isEmpty }.joined(separator: " ")
        }
    }

    /// A FHIR dateTime as the patient's local date and time, `2026-11-22 14:05`.
    private func readableDateTime(_ text: String) -> String {
        guard let instant = try? Date(text, strategy: .iso8601) else { return text }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        return String(format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                      parts.hour ?? 0, parts.minute ?? 0)
    }
}
