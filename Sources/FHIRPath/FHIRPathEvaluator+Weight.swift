import JSON

extension FHIRPathEvaluator {
    /// Extension URLs that carry an answer's weight (FHIR R4 `ordinalValue`, SDC `itemWeight`).
    static let weightExtensions: Set<String> = [
        "http://hl7.org/fhir/StructureDefinition/ordinalValue",
        "http://hl7.org/fhir/StructureDefinition/itemWeight",
    ]

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
            if let own = Self.weight(in: node.json) {
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

    private func weight(answer: FHIRPathNode) -> [FHIRPathValue] {
        guard let linkId = answer.parent?.json["linkId"]?.stringValue,
              case .node(let questionnaire)? = environment.variables["questionnaire"]?.first,
              let questionItem = Self.item(linkId: linkId, in: questionnaire.json),
              let chosen = Self.answerValue(answer.json) else { return [] }
        for option in questionItem["answerOption"]?.arrayValue ?? [] {
            guard let offered = Self.answerValue(option), Self.sameAnswer(offered, chosen) else { continue }
            if let weight = Self.weight(in: option) ?? offered.json.flatMap(Self.weight(in:)) { return [weight] }
        }
        guard let reference = questionItem["answerValueSet"]?.stringValue, case .coding(let system, let code, _) = chosen else { return [] }
        let valueSet = questionnaire.json["contained"]?.arrayValue?.first { resource in
            resource["resourceType"]?.stringValue == "ValueSet"
                && (reference == "#" + (resource["id"]?.stringValue ?? "\u{0}") || reference == resource["url"]?.stringValue)
        }
        guard let valueSet else { return [] }
        for include in valueSet["compose"]?["include"]?.arrayValue ?? [] {
            let includeSystem = include["system"]?.stringValue
            for concept in include["concept"]?.arrayValue ?? []
            where concept["code"]?.stringValue == code && (system == nil || includeSystem == nil || system == includeSystem) {
                if let weight = Self.weight(in: concept) { return [weight] }
            }
        }
        var pending = valueSet["expansion"]?["contains"]?.arrayValue ?? []
        while let concept = pending.popLast() {
            pending += concept["contains"]?.arrayValue ?? []
            let conceptSystem = concept["system"]?.stringValue
            guard concept["code"]?.stringValue == code, system == nil || conceptSystem == nil || system == conceptSystem else { continue }
            if let weight = Self.weight(in: concept) { return [weight] }
        }
        return []
    }

    /// An answer value in the form options and answers are matched by.
    private enum AnswerValue {
        case coding(system: String?, code: String?, json: JSON)
        case other(JSON)

        var json: JSON? {
            if case .coding(_, _, let json) = self { return json }
            return nil
        }
    }

    private static func answerValue(_ json: JSON) -> AnswerValue? {
        guard let object = json.objectValue else { return nil }
        if let coding = object["valueCoding"] {
            return .coding(system: coding["system"]?.stringValue, code: coding["code"]?.stringValue, json: coding)
        }
        guard let key = object.keys.first(where: { $0.hasPrefix("value") }), let value = object[key] else { return nil }
        return .other(value)
    }

    private static func sameAnswer(_ offered: AnswerValue, _ chosen: AnswerValue) -> Bool {
        switch (offered, chosen) {
        case (.coding(let system, let code, _), .coding(let chosenSystem, let chosenCode, _)):
            return code == chosenCode && (system == nil || chosenSystem == nil || system == chosenSystem)
        case (.other(let a), .other(let b)):
            return JSONComparison.equal(a, b)
        default:
            return false
        }
    }

    /// The weight an element carries: an `ordinalValue`/`itemWeight` extension, or a concept
    /// property with one of those codes.
    private static func weight(in json: JSON) -> FHIRPathValue? {
        for carrier in (json["extension"]?.arrayValue ?? []) + (json["property"]?.arrayValue ?? []) {
            let name = carrier["url"]?.stringValue ?? carrier["code"]?.stringValue.map { "http://hl7.org/fhir/StructureDefinition/" + $0 }
            guard let name, weightExtensions.contains(name) else { continue }
            if let number = carrier["valueDecimal"] { return FHIRPathValue.from(number, fhirType: "decimal", name: nil, parent: nil) }
            if let number = carrier["valueInteger"] { return FHIRPathValue.from(number, fhirType: "integer", name: nil, parent: nil) }
        }
        return nil
    }

    /// The questionnaire item with `linkId`, at any depth.
    private static func item(linkId: String, in json: JSON) -> JSON? {
        var pending = json["item"]?.arrayValue ?? []
        while let item = pending.popLast() {
            if item["linkId"]?.stringValue == linkId { return item }
            pending += item["item"]?.arrayValue ?? []
        }
        return nil
    }
}
