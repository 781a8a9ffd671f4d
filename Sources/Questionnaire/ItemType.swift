/// The item types ByNeed renders, a subset of FHIR R4 `QuestionnaireItemType`.
///
/// FHIR R4 Questionnaire.item.type (http://hl7.org/fhir/R4/valueset-item-type.html). Types
/// without a plain HTML input that we support (url, time, attachment, reference, question)
/// are rejected when a definition loads.
public enum ItemType: String, Sendable, Hashable, CaseIterable {
    case group
    case display
    case boolean
    case decimal
    case integer
    case date
    case dateTime
    case string
    case text
    case choice
    case openChoice = "open-choice"
    case quantity

    /// `true` for items that take answers (everything except group and display).
    public var isQuestion: Bool {
        self != .group && self != .display
    }

    /// `true` for items whose answers are chosen from answer options.
    public var hasOptions: Bool {
        self == .choice || self == .openChoice
    }
}
