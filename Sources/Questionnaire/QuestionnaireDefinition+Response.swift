import Foundation
import JSON

// MARK: - QuestionnaireResponse

extension QuestionnaireDefinition {
    /// Builds a FHIR R4 QuestionnaireResponse for `answers`.
    ///
    /// FHIR R4 QuestionnaireResponse: `questionnaire` is this definition's `url|version`; items
    /// nest like the definition (a group holds its children in `item`); only enabled items
    /// with answers appear, groups only when something inside them does (que-rsp rules
    /// qrs-1/qrs-2: an item has answers or items); each item's `text` is the definition's
    /// base text. `subject` is a Reference (e.g. `{"identifier": {...}}`), `authored` a FHIR
    /// dateTime, `status` a QuestionnaireResponse status code.
    public func makeResponse(answers: ResponseAnswers, id: String, subject: JSON?, authored: String, status: String = "completed") -> JSON {
        let kept = pruned(answers)
        var resource = JSONObject()
        resource["resourceType"] = "QuestionnaireResponse"
        resource["id"] = .string(id)
        resource["questionnaire"] = .string(reference)
        resource["status"] = .string(status)
        resource["subject"] = subject
        resource["authored"] = .string(authored)
        let responseItems = items.compactMap { responseItem($0, answers: kept) }
        if !responseItems.isEmpty { resource["item"] = .array(responseItems) }
        return .object(resource)
    }

    /// The response item of `item`, nil when it has nothing to hold. A question whose one
    /// answer is a prepared option (`preparedOptions`) gets that option's item as it is.
    private func responseItem(_ item: QuestionnaireItem, answers: ResponseAnswers) -> JSON? {
        switch item.type {
        case .display:
            return nil
        case .group:
            let children = item.items.compactMap { responseItem($0, answers: answers) }
            guard !children.isEmpty else { return nil }
            var object = Self.itemHeader(item)
            object["item"] = .array(children)
            return .object(object)
        default:
            let values = answers.values(item.linkId)
            guard !values.isEmpty else { return nil }
            let options = preparedOptions[item.linkId] ?? []
            if values.count == 1, let option = Self.option(matching: values[0], in: options) { return option.item }
            return Self.answeredItem(item, answers: values.map { Self.option(matching: $0, in: options)?.answer ?? $0.answerJSON })
        }
    }

    /// `{"linkId": …, "text": …}`, the members every response item starts with.
    private static func itemHeader(_ item: QuestionnaireItem) -> JSONObject {
        var object = JSONObject()
        object["linkId"] = .string(item.linkId)
        object["text"] = item.text.map { .string($0.base) }
        return object
    }

    /// The response item of a question with these answers (`{"value[x]": …}` each).
    static func answeredItem(_ item: QuestionnaireItem, answers: [JSON]) -> JSON {
        var object = itemHeader(item)
        object["answer"] = .array(answers)
        return .object(object)
    }

    /// The prepared option whose Coding is this answer to the byte. Byte for byte, not `==`:
    /// Swift strings compare by canonical equivalence, and the response must carry the
    /// patient's own text.
    private static func option(matching value: AnswerValue, in options: [PreparedOption]) -> PreparedOption? {
        guard case .coding(let coding) = value else { return nil }
        return options.first { identical($0.coding, coding) }
    }

    private static func identical(_ a: Coding, _ b: Coding) -> Bool {
        func same(_ x: String?, _ y: String?) -> Bool {
            // `==` first: it fails fast for the other options, and bytes can only be equal
            // when the strings are.
            guard x == y else { return false }
            guard var x, var y else { return true }
            return x.withUTF8 { a in y.withUTF8 { b in a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0) } }
        }
        return same(a.code, b.code) && same(a.system, b.system) && same(a.display, b.display)
    }
}
