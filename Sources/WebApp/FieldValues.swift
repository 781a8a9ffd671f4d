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

    /// What the draft answers look like as form input.
    init(answers: ResponseAnswers, items: [QuestionnaireItem], format: AnswerFormat) {
        for item in items.flattened() {
            let answered = answers.values(item.linkId)
            let shown = answered.isEmpty && !item.answerOptions.isEmpty
                ? item.answerOptions.filter(\.initialSelected).map(\.value)
                : (answered.isEmpty ? item.initial : answered)
            for (name, texts) in Self.fields(item, shown, format) { values[name, default: []] += texts }
        }
    }

    func values(_ name: String) -> [String] { values[name] ?? [] }
    func first(_ name: String) -> String { values[name]?.first ?? "" }

    private static func fields(_ item: QuestionnaireItem, _ answers: [AnswerValue],
                               _ format: AnswerFormat) -> [(String, [String])] {
        let name = FieldName.value(item.linkId)
        switch item.type {
        case .choice, .openChoice:
            var indices: [String] = []
            var other: [String] = []
            for answer in answers {
                if let index = item.answerOptions.firstIndex(where: { $0.value.sameAnswer(as: answer) }) {
                    indices.append(String(index))
                } else {
                    other.append(format.text(answer))
                }
            }
            return [(name, indices), (FieldName.other(item.linkId), other)]
        case .quantity:
            return answers.compactMap { answer -> [(String, [String])]? in
                guard case .quantity(let quantity) = answer else { return nil }
                let unit = item.unitOptions.firstIndex { $0.code == quantity.code && $0.system == quantity.system }
                return [(name, [format.decimal(quantity.value)]), (FieldName.unit(item.linkId), unit.map { [String($0)] } ?? [])]
            }.flatMap { $0 }
        default:
            return [(name, answers.map { format.inputText($0) })]
        }
    }
}

/// The names of a question's form fields; the decoder in `Questionnaire` reads the same names.
enum FieldName {
    static func value(_ linkId: String) -> String { "a." + linkId }
    static func other(_ linkId: String) -> String { "a." + linkId + ".other" }
    static func unit(_ linkId: String) -> String { "a." + linkId + ".unit" }
}

/// How answer values are written for a patient: decimal commas in Danish, local times.
struct AnswerFormat {
    let language: Language
    let timeZone: TimeZone

    func decimal(_ value: Decimal) -> String {
        let text = "\(value)"
        return language == .danish ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    /// The text of an answer inside an input field (HTML date and datetime-local formats).
    func inputText(_ answer: AnswerValue) -> String {
        switch answer {
        case .boolean(let flag): flag ? "true" : "false"
        case .dateTime(let text): localDateTime(text).map { Self.inputDateTime($0, timeZone) } ?? text
        default: text(answer)
        }
    }

    /// The text of an answer as a person reads it (review page).
    func text(_ answer: AnswerValue) -> String {
        switch answer {
        case .boolean(let flag): (flag ? Strings.yes : Strings.no).text(language)
        case .decimal(let value): decimal(value)
        case .integer(let value): String(value)
        case .date(let text): text
        case .dateTime(let text): localDateTime(text).map { Self.readableDateTime($0, timeZone) } ?? text
        case .string(let text): text
        case .coding(let coding): coding.display ?? coding.code ?? ""
        case .quantity(let quantity): [decimal(quantity.value), quantity.unit ?? quantity.code ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
        }
    }

    private func localDateTime(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601)
    }

    private static func inputDateTime(_ date: Date, _ timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                      parts.hour ?? 0, parts.minute ?? 0)
    }

    private static func readableDateTime(_ date: Date, _ timeZone: TimeZone) -> String {
        inputDateTime(date, timeZone).replacingOccurrences(of: "T", with: " ")
    }
}

extension AnswerValue {
    /// Whether two answers name the same thing: codings by system and code (their display
    /// text may be translated), everything else by value.
    func sameAnswer(as other: AnswerValue) -> Bool {
        if case .coding(let mine) = self, case .coding(let theirs) = other {
            return mine.system == theirs.system && mine.code == theirs.code
        }
        return self == other
    }
}

extension Array where Element == QuestionnaireItem {
    /// The items and all their descendants, in document order.
    func flattened() -> [QuestionnaireItem] {
        flatMap { [$0] + $0.items.flattened() }
    }
}
