// MARK: - Validation

extension QuestionnaireDefinition {
    /// Problems with the answers to the enabled items of page `page`, judged against the whole
    /// draft `answers` (enableWhen may test items on other pages). Disabled items are skipped.
    public func validate(page: Int, answers: ResponseAnswers) -> [ValidationIssue] {
        guard pages.indices.contains(page) else { return [] }
        let group = pages[page].groupLinkId.flatMap { item(linkId: $0) }.map { [$0] } ?? []
        return issues(for: group + pages[page].allItems, answers: answers)
    }

    /// Problems with the answers to every enabled item, for the final submit.
    public func validateAll(_ answers: ResponseAnswers) -> [ValidationIssue] {
        issues(for: flattenedItems, answers: answers)
    }

    private func issues(for candidates: [QuestionnaireItem], answers: ResponseAnswers) -> [ValidationIssue] {
        let enabled = enabledLinkIds(answers)
        var issues: [ValidationIssue] = []
        for item in candidates where enabled.contains(item.linkId) {
            for problem in problems(item, answers: answers, enabled: enabled) { issues.append(ValidationIssue(linkId: item.linkId, problem: problem)) }
        }
        return issues
    }

    private func problems(_ item: QuestionnaireItem, answers: ResponseAnswers, enabled: Set<String>) -> [ValidationProblem] {
        switch item.type {
        case .display:
            return []
        case .group:
            guard item.required else { return [] }
            let answered = item.flattened.dropFirst().contains { enabled.contains($0.linkId) && !answers.values($0.linkId).isEmpty }
            return answered ? [] : [.required(.group)]
        default:
            break
        }
        let values = answers.values(item.linkId)
        guard !values.isEmpty else { return item.required ? [.required(item.type)] : [] }
        var found: [ValidationProblem] = []
        func add(_ problem: ValidationProblem) {
            if !found.contains(problem) { found.append(problem) }
        }
        if !item.repeats, values.count > 1 { add(.tooManyAnswers) }
        if item.readOnly, !(values.count == item.initial.count && zip(values, item.initial).allSatisfy { $0.matches($1) }) {
            add(.readOnly)
        }
        for value in values {
            valueProblem(value, item: item).map(add)
        }
        return found
    }

    private func valueProblem(_ value: AnswerValue, item: QuestionnaireItem) -> ValidationProblem? {
        guard QuestionnaireLoader.answerTypes(for: item.type).contains(value.fhirTypeName) else { return .wrongType }
        switch (item.type, value) {
        case (.choice, _), (.openChoice, .coding), (.openChoice, .integer), (.openChoice, .date):
            return item.answerOptions.contains { $0.value.matches(value) } ? nil : .notAnOption
        case (.string, .string(let text)), (.text, .string(let text)):
            if let maxLength = item.maxLength, text.count > maxLength { return .tooLong(maxLength: maxLength) }
            return nil
        case (.quantity, .quantity(let quantity)):
            if !item.allowedUnits.contains(where: { unitMatches($0, quantity) }) { return .unknownUnit }
        default:
            break
        }
        if let minValue = item.minValue, value.compare(minValue) == .orderedAscending { return .belowMinimum(minValue) }
        if let maxValue = item.maxValue, value.compare(maxValue) == .orderedDescending { return .aboveMaximum(maxValue) }
        return nil
    }
}
