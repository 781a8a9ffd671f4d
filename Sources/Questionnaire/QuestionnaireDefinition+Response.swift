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

    private func responseItem(_ item: QuestionnaireItem, answers: ResponseAnswers) -> JSON? {
        var object = JSONObject()
        object["linkId"] = .string(item.linkId)
        object["text"] = item.text.map { .string($0.base) }
        switch item.type {
        case .display:
            return nil
        case .group:
            let children = item.items.compactMap { responseItem($0, answers: answers) }
            guard !children.isEmpty else { return nil }
            object["item"] = .array(children)
        default:
            let values = answers.values(item.linkId)
            guard !values.isEmpty else { return nil }
            object["answer"] = .array(values.map { value in
                let (element, content) = value.fhirElement(prefix: "value")
                return .object(JSONObject([(element, content)]))
            })
        }
        return .object(object)
    }
}
