import Foundation
import JSON
import Questionnaire
import Templating

/// Builds the template context of one page of a questionnaire.
///
/// The template is logic-less, so every decision is taken here: which items are shown, which
/// control each gets, which values are filled in, which errors stand where, and the rules the
/// optional script uses to show and hide conditional questions live.
struct PageView {
    let definition: QuestionnaireDefinition
    let pageIndex: Int
    let format: AnswerFormat
    let values: FieldValues
    /// The answers so far: they decide items whose conditions lie on other pages, and give
    /// read-only items their value.
    let answers: ResponseAnswers
    let issues: [ValidationIssue]

    /// The answers that count for conditions: a question answered by a disabled item counts
    /// as unanswered (FHIR R4 enableWhen).
    private let effectiveAnswers: ResponseAnswers

    init(definition: QuestionnaireDefinition, pageIndex: Int, format: AnswerFormat, values: FieldValues,
         answers: ResponseAnswers, issues: [ValidationIssue]) {
        self.definition = definition
        self.pageIndex = pageIndex
        self.format = format
        self.values = values
        self.answers = answers
        self.issues = issues
        effectiveAnswers = definition.pruned(answers)
        pageLinkIds = Set(definition.pages[pageIndex].allItems.map(\.linkId))
    }

    private var language: Language { format.language }
    private var page: QuestionnairePage { definition.pages[pageIndex] }
    /// The linkIds of every item on this page: conditions on these are decided live.
    private let pageLinkIds: Set<String>

    /// The page's entries in document order: group starts and ends, display texts, questions.
    func entries() -> [TemplateValue] {
        var entries: [TemplateValue] = []
        append(page.items, path: "q-\(pageIndex + 1)", to: &entries)
        return entries
    }

    /// The error summary rows, each linking to the field it is about; a problem with the
    /// page's own group (a required section left empty) links to the page's first question.
    func errorRows() -> [TemplateValue] {
        let items = page.allItems
        return issues.compactMap { issue in
            let message = issue.message(language: language.rawValue)
            if issue.linkId == page.groupLinkId {
                let first = items.first { $0.type.isQuestion && !$0.readOnly }
                let href = first.map { "#" + focusID($0, id: id(of: $0)) } ?? "#main"
                return .object(["href": .string(href),
                                "message": .string("\(page.title.resolved(language: language.rawValue)) – \(message)")])
            }
            guard let item = items.first(where: { $0.linkId == issue.linkId }) else { return nil }
            let label = item.text?.resolved(language: language.rawValue) ?? item.linkId
            return .object(["href": .string("#" + focusID(item, id: id(of: item))), "message": .string("\(label) – \(message)")])
        }
    }

    /// The message of a problem with the page's own group, shown under the page heading.
    func pageError() -> String? {
        issues.first { $0.linkId == page.groupLinkId }?.message(language: language.rawValue)
    }

    private func append(_ items: [QuestionnaireItem], path: String, to entries: inout [TemplateValue]) {
        for (index, item) in items.enumerated() where isShown(item) {
            let id = "\(path)-\(index + 1)"
            switch item.type {
            case .group:
                entries.append(.object(["groupStart": .object(common(item, id: id))]))
                append(item.items, path: id, to: &entries)
                entries.append(.object(["groupEnd": .bool(true)]))
            case .display:
                entries.append(.object(["display": .object(common(item, id: id))]))
            default:
                entries.append(.object(["question": .object(question(item, id: id))]))
                append(item.items, path: id, to: &entries)
            }
        }
    }

    /// Whether the server shows an item (whose parent is shown). Hidden items (scores that are
    /// for clinicians, `questionnaire-hidden`) never are. Conditions on questions of
    /// other pages are decided here from the saved answers; when a condition depends on a
    /// question on this same page, the item is shown unless the other conditions already
    /// decide against it, and the script (or, without it, the patient reading the hint)
    /// decides the rest. The server checks again when the page is submitted.
    private func isShown(_ item: QuestionnaireItem) -> Bool {
        guard !item.isHidden else { return false }
        guard !item.enableWhen.isEmpty else { return true }
        let decided = item.enableWhen.filter { !pageLinkIds.contains($0.question) }.map(holds)
        let open = decided.count < item.enableWhen.count
        switch item.enableBehavior {
        case .all: return !decided.contains(false)
        case .any: return decided.contains(true) || open
        }
    }

    private func holds(_ condition: EnableWhen) -> Bool {
        condition.holds(for: effectiveAnswers.values(condition.question))
    }

    private func common(_ item: QuestionnaireItem, id: String) -> [String: TemplateValue] {
        var object: [String: TemplateValue] = [
            "id": .string(id),
            "text": .string(item.text?.resolved(language: language.rawValue) ?? ""),
            "enableWhen": .string(enableWhenRules(item)),
        ]
        if let prefix = item.prefix { object["prefix"] = .string(prefix) }
        if let hint = conditionalHint(item) { object["hint"] = .string(hint) }
        return object
    }

    private func question(_ item: QuestionnaireItem, id: String) -> [String: TemplateValue] {
        var object = common(item, id: id)
        let name = definition.fieldName(for: item.linkId)
        object["name"] = .string(name)
        object["required"] = .bool(item.required)
        object["requiredText"] = .string(Strings.required.text(language))
        object["readOnly"] = .bool(item.readOnly)
        object["errorPrefix"] = .string(Strings.errorPrefix.text(language))
        let error = issues.first { $0.linkId == item.linkId }?.message(language: language.rawValue)
        if let error { object["error"] = .string(error) }
        let describedBy = [object["hint"] != nil ? "\(id)-hint" : nil, error != nil ? "\(id)-error" : nil].compactMap { $0 }
        if !describedBy.isEmpty { object["describedBy"] = .string(describedBy.joined(separator: " ")) }

        if item.readOnly {
            object["readOnlyValue"] = .string(answers.values(item.linkId).map { format.text($0, of: item) }.joined(separator: ", "))
            return object
        }
        switch item.type {
        case .boolean:
            object["choices"] = .bool(true)
            object["inputType"] = .string("radio")
            object["options"] = .array(options(id: id, name: name, labelled: [("true", Strings.yes.text(language)), ("false", Strings.no.text(language))]))
        case .choice, .openChoice:
            object["choices"] = .bool(true)
            object["inputType"] = .string(item.repeats ? "checkbox" : "radio")
            object["options"] = .array(options(id: id, name: name, labelled: item.answerOptions.enumerated().map {
                (String($0.offset), $0.element.display.resolved(language: language.rawValue))
            }))
            if item.type == .openChoice {
                object["other"] = .bool(true)
                object["otherID"] = .string("\(id)-other")
                object["otherName"] = .string(definition.otherFieldName(for: item.linkId))
                object["otherValue"] = .string(values.first(definition.otherFieldName(for: item.linkId)))
                object["otherLabel"] = .string(Strings.otherOption.text(language))
            }
        default:
            object["field"] = .bool(true)
            object["fieldID"] = .string("\(id)-input")
            object["value"] = .string(values.first(name))
            object.merge(fieldAttributes(item, id: id)) { $1 }
        }
        return object
    }

    private func options(id: String, name: String, labelled: [(value: String, label: String)]) -> [TemplateValue] {
        let chosen = Set(values.values(name))
        return labelled.enumerated().map { index, option in
            .object(["optionID": .string("\(id)-opt-\(index)"), "value": .string(option.value),
                     "label": .string(option.label), "checked": .bool(chosen.contains(option.value))])
        }
    }

    private func fieldAttributes(_ item: QuestionnaireItem, id: String) -> [String: TemplateValue] {
        var object: [String: TemplateValue] = ["inputType": .string("text")]
        switch item.type {
        case .integer: object["inputMode"] = .string("numeric")
        case .decimal, .quantity: object["inputMode"] = .string("decimal")
        case .date: object["inputType"] = .string("date")
        case .dateTime: object["inputType"] = .string("datetime-local")
        case .text: object["textarea"] = .bool(true)
        default: break
        }
        if let maxLength = item.maxLength { object["maxLength"] = .string(String(maxLength)) }
        if item.type == .date, case .date(let min)? = item.minValue { object["min"] = .string(min) }
        if item.type == .date, case .date(let max)? = item.maxValue { object["max"] = .string(max) }
        if item.type == .quantity {
            if item.allowedUnits.count > 1 {
                let chosen = values.first(definition.unitFieldName(for: item.linkId))
                object["units"] = .bool(true)
                object["unitID"] = .string("\(id)-unit")
                object["unitName"] = .string(definition.unitFieldName(for: item.linkId))
                object["unitLabel"] = .string(Strings.unit.text(language))
                object["unitOptions"] = .array(item.allowedUnits.enumerated().map { index, unit in
                    .object(["value": .string(String(index)), "label": .string(unit.display ?? unit.code),
                             "selected": .bool(chosen == String(index))])
                })
            } else if let unit = item.allowedUnits.first {
                object["unit"] = .string(unit.display ?? unit.code)
            }
        }
        return object
    }

    /// The element that the error summary links to: the first option, the input itself, or
    /// for a group its section.
    private func focusID(_ item: QuestionnaireItem, id: String) -> String {
        switch item.type {
        case .boolean, .choice, .openChoice: "\(id)-opt-0"
        case .group, .display: id
        default: "\(id)-input"
        }
    }

    /// The id an item gets on this page (the same path `append` gives it).
    private func id(of target: QuestionnaireItem) -> String {
        func search(_ items: [QuestionnaireItem], _ path: String) -> String? {
            for (index, item) in items.enumerated() {
                let id = "\(path)-\(index + 1)"
                if item.linkId == target.linkId { return id }
                if let found = search(item.items, id) { return found }
            }
            return nil
        }
        return search(page.items, "q-\(pageIndex + 1)") ?? "main"
    }

    // MARK: Conditional questions

    /// Words for a patient without JavaScript: which earlier answer this question depends on.
    private func conditionalHint(_ item: QuestionnaireItem) -> String? {
        guard let condition = item.enableWhen.first(where: { pageLinkIds.contains($0.question) }),
              let source = definition.item(linkId: condition.question) else { return nil }
        return Strings.conditionalHint(source.text?.resolved(language: language.rawValue) ?? source.linkId).text(language)
    }

    /// The rules the optional script evaluates live, as JSON in a data attribute:
    /// `{"behavior":"all","conditions":[{"field":"a.x","operator":"in","kind":"option","values":["0"]}]}`.
    /// Conditions on other pages' questions are decided by the server and sent as constants.
    private func enableWhenRules(_ item: QuestionnaireItem) -> String {
        guard item.enableWhen.contains(where: { pageLinkIds.contains($0.question) }) else { return "" }
        let conditions: [JSON] = item.enableWhen.compactMap { condition in
            guard let source = definition.item(linkId: condition.question) else { return nil }
            let rule = pageLinkIds.contains(condition.question)
                ? Self.scriptRule(condition, source)
                : ScriptCondition(operator: "constant", kind: "text", values: [holds(condition) ? "true" : "false"])
            return .object(JSONObject([("field", .string(definition.fieldName(for: source.linkId))),
                                       ("operator", .string(rule.operator)),
                                       ("kind", .string(rule.kind)),
                                       ("values", .array(rule.values.map(JSON.string)))]))
        }
        return JSON.object(JSONObject([("behavior", .string(item.enableBehavior.rawValue)),
                                       ("conditions", .array(conditions))])).serialized()
    }

    /// One condition as the script compares it with a field's posted values. For a question
    /// with answer options the server itself decides which options satisfy the condition
    /// (with the same `EnableWhen.holds` that validation uses) and the script only checks
    /// whether one of those is chosen; `!=` becomes "none of the equal options is chosen",
    /// which, like FHIR's `!=`, holds when nothing is chosen. Otherwise the script compares
    /// numbers or text.
    private static func scriptRule(_ condition: EnableWhen, _ source: QuestionnaireItem) -> ScriptCondition {
        let comparing = condition.operator.rawValue
        if condition.operator == .exists {
            guard case .boolean(let flag) = condition.answer else { return ScriptCondition(operator: comparing, kind: "text", values: ["true"]) }
            return ScriptCondition(operator: comparing, kind: "text", values: [flag ? "true" : "false"])
        }
        if !source.answerOptions.isEmpty && condition.operator == .notEqual {
            let equal = source.answerOptions.indices.filter { source.answerOptions[$0].value.matches(condition.answer) }
            return ScriptCondition(operator: "notIn", kind: "option", values: equal.map(String.init))
        }
        if !source.answerOptions.isEmpty {
            let satisfying = source.answerOptions.indices.filter { condition.holds(for: [source.answerOptions[$0].value]) }
            return ScriptCondition(operator: "in", kind: "option", values: satisfying.map(String.init))
        }
        switch condition.answer {
        case .boolean(let flag): return ScriptCondition(operator: comparing, kind: "text", values: [flag ? "true" : "false"])
        case .integer, .decimal, .quantity:
            return ScriptCondition(operator: comparing, kind: "number", values: [condition.answer.numericValue?.description ?? ""])
        case .date(let text), .dateTime(let text), .string(let text): return ScriptCondition(operator: comparing, kind: "text", values: [text])
        case .coding(let coding): return ScriptCondition(operator: comparing, kind: "text", values: [coding.code])
        }
    }
}

/// One enableWhen condition in the form the script evaluates: `in` (one of these options is
/// chosen), `notIn` (none of these is chosen; true without an answer, as FHIR's `!=`),
/// `constant` (decided by the server), `exists`, or a comparison of numbers or text.
struct ScriptCondition {
    let `operator`: String
    let kind: String
    let values: [String]
}
