import JSON

/// The answer weights one Questionnaire defines, by item `linkId`: what SDC `weight()` looks up
/// for each answer of a QuestionnaireResponse.
///
/// SDC §"weight()": the weight of an answer is the `ordinalValue`/`itemWeight` extension on the
/// matching `answerOption` of the item with the same `linkId`, or on the matching concept of the
/// contained ValueSet its `answerValueSet` names. Finding the item means a search through the
/// Questionnaire's JSON, and reading an option's weight means a search through its extensions;
/// done for every answer of every response that was a tenth of the scoring benchmark's time
/// (Benchmarks/README.md, "Scoring"). `FHIRPathNode(questionnaire:)` builds this index once, and
/// `weight()` then costs one dictionary lookup and a scan over the weighted options. A
/// Questionnaire node made without the index builds the one `Question` it needs on each call,
/// with the same code, so both ways give the same weights.
struct FHIRPathAnswerWeights: Sendable {
    /// Extension URLs that carry an answer's weight (FHIR R4 `ordinalValue`, SDC `itemWeight`).
    static let weightExtensions: Set<String> = [
        "http://hl7.org/fhir/StructureDefinition/ordinalValue",
        "http://hl7.org/fhir/StructureDefinition/itemWeight",
    ]

    /// What the answers to one question weigh.
    struct Question: Sendable {
        /// The answer options that carry a weight, in document order; options without one can
        /// never give a weight, so they are left out.
        var options: [(value: AnswerValue, weight: FHIRPathValue)] = []
        /// The weighted concepts of the ValueSet named by `answerValueSet`, in the order they
        /// are searched: the `compose` concepts (with their include's system), then the
        /// `expansion`, depth first from the last entry.
        var concepts: [(system: String?, code: String?, weight: FHIRPathValue)] = []

        /// The weight of `chosen`: the first weighted option with the same value, else (for a
        /// Coding) the first weighted concept with the same code and a compatible system.
        func weight(of chosen: AnswerValue) -> FHIRPathValue? {
            if let option = options.first(where: { $0.value.matches(chosen) }) { return option.weight }
            guard case .coding(let system, let code, _) = chosen else { return nil }
            return concepts.first { concept in
                concept.code == code && (system == nil || concept.system == nil || system == concept.system)
            }?.weight
        }
    }

    /// An answer value in the form options and answers are matched by.
    enum AnswerValue: Sendable {
        case coding(system: String?, code: String?, json: JSON)
        case other(JSON)

        /// The `value[x]` of an answer or answer option; `valueCoding` first.
        init?(_ json: JSON) {
            guard let object = json.objectValue else { return nil }
            if let coding = object["valueCoding"] {
                self = .coding(system: coding["system"]?.stringValue, code: coding["code"]?.stringValue, json: coding)
                return
            }
            guard let key = object.keys.first(where: { $0.hasPrefix("value") }), let value = object[key] else { return nil }
            self = .other(value)
        }

        /// Codings match by code and system (either system absent matches); other values by
        /// JSON equality, member order aside.
        func matches(_ chosen: AnswerValue) -> Bool {
            switch (self, chosen) {
            case (.coding(let system, let code, _), .coding(let chosenSystem, let chosenCode, _)):
                return code == chosenCode && (system == nil || chosenSystem == nil || system == chosenSystem)
            case (.other(let a), .other(let b)):
                return JSONComparison.equal(a, b)
            default:
                return false
            }
        }
    }

    private let questions: [String: Question]

    /// Indexes every item of `questionnaire`. With repeated linkIds the item `question(linkId:in:)`
    /// would find is the one kept.
    init(questionnaire: JSON) {
        var questions: [String: Question] = [:]
        Self.forEachItem(in: questionnaire) { linkId, item in
            if questions[linkId] == nil { questions[linkId] = Self.question(item, in: questionnaire) }
            return false
        }
        self.questions = questions
    }

    /// The weights of the item with `linkId`.
    subscript(linkId: String) -> Question? {
        questions[linkId]
    }

    /// The weights of the item with `linkId`, found by searching `questionnaire` (no index).
    static func question(linkId: String, in questionnaire: JSON) -> Question? {
        var found: JSON?
        forEachItem(in: questionnaire) { itemLinkId, item in
            guard itemLinkId == linkId else { return false }
            found = item
            return true
        }
        return found.map { question($0, in: questionnaire) }
    }

    /// The weight an element carries: an `ordinalValue`/`itemWeight` extension, or a concept
    /// property with one of those codes.
    static func weight(carriedBy json: JSON) -> FHIRPathValue? {
        for carrier in (json["extension"]?.arrayValue ?? []) + (json["property"]?.arrayValue ?? []) {
            let name = carrier["url"]?.stringValue ?? carrier["code"]?.stringValue.map { "http://hl7.org/fhir/StructureDefinition/" + $0 }
            guard let name, weightExtensions.contains(name) else { continue }
            if let number = carrier["valueDecimal"] { return FHIRPathValue.from(number, fhirType: "decimal", name: nil, parent: nil) }
            if let number = carrier["valueInteger"] { return FHIRPathValue.from(number, fhirType: "integer", name: nil, parent: nil) }
        }
        return nil
    }

    // MARK: - Building

    /// Visits the items at any depth with their linkId, depth first from the last top-level
    /// item, until `visit` returns true.
    private static func forEachItem(in questionnaire: JSON, _ visit: (String, JSON) -> Bool) {
        var pending = questionnaire["item"]?.arrayValue ?? []
        while let item = pending.popLast() {
            if let linkId = item["linkId"]?.stringValue, visit(linkId, item) { return }
            pending += item["item"]?.arrayValue ?? []
        }
    }

    private static func question(_ item: JSON, in questionnaire: JSON) -> Question {
        var question = Question()
        for option in item["answerOption"]?.arrayValue ?? [] {
            guard let offered = AnswerValue(option) else { continue }
            let offeredCoding: JSON? = if case .coding(_, _, let json) = offered { json } else { nil }
            if let weight = weight(carriedBy: option) ?? offeredCoding.flatMap(weight(carriedBy:)) {
                question.options.append((offered, weight))
            }
        }
        guard let reference = item["answerValueSet"]?.stringValue,
              let valueSet = questionnaire["contained"]?.arrayValue?.first(where: { resource in
                  resource["resourceType"]?.stringValue == "ValueSet"
                      && (reference == "#" + (resource["id"]?.stringValue ?? "\u{0}") || reference == resource["url"]?.stringValue)
              }) else { return question }
        for include in valueSet["compose"]?["include"]?.arrayValue ?? [] {
            let system = include["system"]?.stringValue
            for concept in include["concept"]?.arrayValue ?? [] {
                if let weight = weight(carriedBy: concept) { question.concepts.append((system, concept["code"]?.stringValue, weight)) }
            }
        }
        var pending = valueSet["expansion"]?["contains"]?.arrayValue ?? []
        while let concept = pending.popLast() {
            pending += concept["contains"]?.arrayValue ?? []
            if let weight = weight(carriedBy: concept) {
                question.concepts.append((concept["system"]?.stringValue, concept["code"]?.stringValue, weight))
            }
        }
        return question
    }
}
