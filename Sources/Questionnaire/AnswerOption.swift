import Foundation

/// One permitted answer of a choice or open-choice item.
///
/// From FHIR R4 `Questionnaire.item.answerOption`, or from a contained ValueSet named by
/// `answerValueSet`. The score weight comes from the `ordinalValue` extension
/// (`http://hl7.org/fhir/StructureDefinition/ordinalValue`) or SDC's `itemWeight`.
public struct AnswerOption: Sendable, Hashable {
    /// The value stored in the response when this option is chosen.
    public var value: AnswerValue
    /// What the patient reads (coding display, or the string/number/date itself).
    public var display: LocalizedText
    /// `true` when the option is selected initially (`answerOption.initialSelected`).
    public var initialSelected: Bool
    /// The option's weight for scoring, when the definition gives one.
    public var ordinalValue: Decimal?

    public init(value: AnswerValue, display: LocalizedText, initialSelected: Bool = false, ordinalValue: Decimal? = nil) {
        self.value = value
        self.display = display
        self.initialSelected = initialSelected
        self.ordinalValue = ordinalValue
    }
}
