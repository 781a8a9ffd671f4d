import JSON

extension FHIRPathEvaluator {
    /// SDC `weight()` / `ordinal()`: for each answer (or answer Coding) of a
    /// QuestionnaireResponse, the weight of the chosen answer in `%questionnaire` (SDC
    /// §"weight()"): the item with the same `linkId`, its `answerOption` with the same value, or
    /// the concept in the contained ValueSet its `answerValueSet` names. A Coding or answer
    /// option that carries the extension itself gives that weight directly.
    func weights(of input: [FHIRPathValue]) throws(FHIRPathError) -> [FHIRPathValue] {
        var result: [FHIRPathValue] = []
        for item in input {
            try charge()
            guard case .node(let node) = item else { continue }
            if let own = FHIRPathAnswerWeights.weight(carriedBy: node.json) {
                result.append(own)
                continue
            }
            if node.typeName == "Coding", let answer = node.parent, answer.json["valueCoding"] != nil {
                result += weight(answer: answer)
            } else if node.json["valueCoding"] != nil || node.name == "answer" {
                result += weight(answer: node)
            }
        }
        return result
    }

    /// The weight of one answer, from the Questionnaire's index when it has one
    /// (`FHIRPathNode(questionnaire:)`), else by searching its JSON.
    private func weight(answer: FHIRPathNode) -> [FHIRPathValue] {
        guard let linkId = answer.parent?.json["linkId"]?.stringValue,
              case .node(let questionnaire)? = environment.variables["questionnaire"]?.first else { return [] }
        let question = if let index = questionnaire.answerWeights {
            index[linkId]
        } else {
            FHIRPathAnswerWeights.question(linkId: linkId, in: questionnaire.json)
        }
        guard let question, let chosen = FHIRPathAnswerWeights.AnswerValue(answer.json) else { return [] }
        return question.weight(of: chosen).map { [$0] } ?? []
    }
}
