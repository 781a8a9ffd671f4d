/// One condition under which an item is shown, as in FHIR R4 `Questionnaire.item.enableWhen`.
///
/// Semantics follow the R4 operator definitions (code system `questionnaire-enable-operator`):
/// `exists` compares "has an answer" with the boolean; `=` and the ordering operators hold
/// when at least one answer satisfies them; `!=` holds when no answer equals the value (so
/// also when there is no answer at all).
public struct EnableWhen: Sendable, Hashable {
    /// The linkId of the question whose answers are tested.
    public var question: String
    public var `operator`: EnableWhenOperator
    /// The value compared with; for `exists` a `.boolean`.
    public var answer: AnswerValue

    public init(question: String, operator: EnableWhenOperator, answer: AnswerValue) {
        self.question = question
        self.operator = `operator`
        self.answer = answer
    }

    /// Whether the condition holds for the given answers of the question (already empty when
    /// the question itself is disabled).
    public func holds(for answers: [AnswerValue]) -> Bool {
        switch self.operator {
        case .exists:
            return answer == .boolean(!answers.isEmpty)
        case .equal:
            return answers.contains { $0.matches(answer) }
        case .notEqual:
            return !answers.contains { $0.matches(answer) }
        case .greaterThan:
            return answers.contains { $0.compare(answer) == .orderedDescending }
        case .lessThan:
            return answers.contains { $0.compare(answer) == .orderedAscending }
        case .greaterOrEqual:
            return answers.contains { [.orderedDescending, .orderedSame].contains($0.compare(answer)) }
        case .lessOrEqual:
            return answers.contains { [.orderedAscending, .orderedSame].contains($0.compare(answer)) }
        }
    }
}

/// The enableWhen operators of FHIR R4 (`questionnaire-enable-operator`).
public enum EnableWhenOperator: String, Sendable, Hashable, CaseIterable {
    case exists
    case equal = "="
    case notEqual = "!="
    case greaterThan = ">"
    case lessThan = "<"
    case greaterOrEqual = ">="
    case lessOrEqual = "<="

    /// `true` for `>`, `<`, `>=`, `<=`, which need ordered values.
    public var isOrdering: Bool {
        switch self {
        case .greaterThan, .lessThan, .greaterOrEqual, .lessOrEqual: true
        default: false
        }
    }
}

/// How several enableWhen conditions combine (FHIR R4 `Questionnaire.item.enableBehavior`).
public enum EnableBehavior: String, Sendable, Hashable {
    /// Enabled when every condition holds.
    case all
    /// Enabled when at least one condition holds.
    case any
}
