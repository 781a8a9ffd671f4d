// MARK: - enableWhen

extension QuestionnaireDefinition {
    /// The linkIds of every item currently enabled (shown, and counted in the response).
    ///
    /// FHIR R4 Questionnaire.item.enableWhen: an item is enabled when its conditions hold
    /// (all of them, or any, per `enableBehavior`) and its parent is enabled; the answers of
    /// a disabled item count as absent when other conditions test it. Cycles are rejected at
    /// load time, so this memoised depth-first evaluation always terminates with one result.
    public func enabledLinkIds(_ answers: ResponseAnswers) -> Set<String> {
        if let alwaysEnabledLinkIds { return alwaysEnabledLinkIds }
        var memo: [String: Bool] = [:]
        func isEnabled(_ linkId: String) -> Bool {
            if let known = memo[linkId] { return known }
            guard let item = itemsByLinkId[linkId] else { return false }
            let parentEnabled = parentByLinkId[linkId].map(isEnabled) ?? true
            let enabled = parentEnabled && conditionsHold(item) { question in
                isEnabled(question) ? answers.values(question) : []
            }
            memo[linkId] = enabled
            return enabled
        }
        return Set(orderedLinkIds.filter(isEnabled))
    }

    /// Whether `linkId` is enabled for `answers` (see `enabledLinkIds(_:)`).
    public func isEnabled(_ linkId: String, answers: ResponseAnswers) -> Bool {
        enabledLinkIds(answers).contains(linkId)
    }

    /// The answers without those of disabled items (and without unknown linkIds), as stored
    /// and scored: FHIR R4 says a disabled item's answers are not part of the response.
    public func pruned(_ answers: ResponseAnswers) -> ResponseAnswers {
        answers.filtered(enabledLinkIds(answers))
    }

    private func conditionsHold(_ item: QuestionnaireItem, answersOf: (String) -> [AnswerValue]) -> Bool {
        guard !item.enableWhen.isEmpty else { return true }
        let results = item.enableWhen.map { $0.holds(for: answersOf($0.question)) }
        switch item.enableBehavior {
        case .all: return results.allSatisfy { $0 }
        case .any: return results.contains(true)
        }
    }
}
