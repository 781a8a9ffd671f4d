/// Triage colours, most severe last: red = contact the patient, yellow = a clinician looks and
/// decides, green = no contact needed (the national FUT model, see MISSION.md).
public enum TriageColour: String, Sendable, Hashable, Comparable, CaseIterable {
    case green, yellow, red

    public static func < (lhs: TriageColour, rhs: TriageColour) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A colour attached to an answer condition of one item, after FUT's `answerSignificance`
/// (extension `http://byneed.dk/fhir/StructureDefinition/answer-significance`, docs/scoring-and-triage.md).
public struct AnswerSignificance: Sendable, Hashable {
    /// The condition on the item's own answers, with the same operators and semantics as enableWhen.
    public var condition: EnableWhen
    public var colour: TriageColour
    /// Why, for the clinician, in Danish with an English translation.
    public var reason: LocalizedText

    public init(condition: EnableWhen, colour: TriageColour, reason: LocalizedText) {
        self.condition = condition
        self.colour = colour
        self.reason = reason
    }
}

/// What made a triage finding fire.
public enum TriageSource: Sendable, Hashable, CustomStringConvertible {
    /// An answer condition (answer significance) of the item with this linkId.
    case answer(String)
    /// The patient asked to be contacted, in the item with this linkId.
    case contactWish(String)
    /// The expression rule with this id.
    case rule(String)

    /// `answer:<linkId>`, `contact-wish:<linkId>` or `rule:<id>`, as stored and printed.
    public var description: String {
        switch self {
        case .answer(let linkId): "answer:\(linkId)"
        case .contactWish(let linkId): "contact-wish:\(linkId)"
        case .rule(let id): "rule:\(id)"
        }
    }

    /// Reads the stored form back.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        switch parts[0] {
        case "answer": self = .answer(parts[1])
        case "contact-wish": self = .contactWish(parts[1])
        case "rule": self = .rule(parts[1])
        default: return nil
        }
    }
}

/// One rule that fired: where it comes from, its colour and its reason.
public struct TriageFinding: Sendable, Hashable {
    public var source: TriageSource
    public var colour: TriageColour
    public var reason: LocalizedText

    public init(source: TriageSource, colour: TriageColour, reason: LocalizedText) {
        self.source = source
        self.colour = colour
        self.reason = reason
    }
}

/// The triage of one response: the most severe colour that fired, with every reason.
public struct TriageResult: Sendable, Hashable {
    public var findings: [TriageFinding]

    public init(findings: [TriageFinding]) {
        self.findings = findings
    }

    /// Green when nothing fired.
    public var colour: TriageColour {
        findings.map(\.colour).max() ?? .green
    }
}

extension QuestionnaireItem {
    /// The coding that marks the contact question (docs/scoring-and-triage.md, "The contact wish").
    public static let contactWishCode = Coding(system: "http://byneed.dk/fhir/CodeSystem/byneed", code: "contact-wish")

    /// Whether this item asks whether the patient wants to be contacted.
    public var isContactWish: Bool {
        codes.contains { $0.matches(Self.contactWishCode) }
    }
}

extension QuestionnaireDefinition {
    /// The reason given when a patient asks to be contacted.
    public static let contactWishReason = LocalizedText("Patienten ønsker kontakt", translations: ["en": "The patient asks to be contacted"])

    /// Triage of a response from its answers: every answer condition of every enabled item, and
    /// the contact wish, which is red whatever else the rules say. Answers to disabled items
    /// do not count (they are pruned first, as when the response is stored).
    ///
    /// An answer condition judges an answer, so it never fires on an item left unanswered —
    /// unlike enableWhen, where FHIR's `!=` holds without an answer — except `exists`, whose
    /// subject is whether there is an answer. (PHQ-9 item 9 `!= not at all` must not call a
    /// patient red for skipping the question; an unanswered item makes the score incomplete.)
    public func triage(_ answers: ResponseAnswers) -> TriageResult {
        let kept = pruned(answers)
        var findings: [TriageFinding] = []
        for linkId in triageLinkIds {
            guard let item = item(linkId: linkId) else { continue }
            let values = kept.values(linkId)
            for significance in item.significance
            where (!values.isEmpty || significance.condition.operator == .exists) && significance.condition.holds(for: values) {
                findings.append(TriageFinding(source: .answer(linkId), colour: significance.colour, reason: significance.reason))
            }
            if item.isContactWish, values.contains(where: Self.wishesContact) {
                findings.append(TriageFinding(source: .contactWish(linkId), colour: .red, reason: Self.contactWishReason))
            }
        }
        return TriageResult(findings: findings)
    }

    /// Any answer to the contact question but "no" (or false) asks for contact.
    private static func wishesContact(_ answer: AnswerValue) -> Bool {
        switch answer {
        case .boolean(let wished): wished
        case .coding(let coding): coding.code != "no"
        default: true
        }
    }
}
