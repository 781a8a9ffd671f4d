import JSON

/// One problem found while loading a questionnaire: where it is and what is wrong.
///
/// `description` reads `who5.json: item[2].enableWhen[0].question: refers to unknown linkId "x"`
/// so an author can fix the file without a debugger.
public struct QuestionnaireProblem: Sendable, Hashable, CustomStringConvertible {
    /// Whether the problem stops loading.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    /// What is wrong, with the context needed to say it plainly (an `Error` so parsing helpers
    /// can return `Result`).
    public enum Kind: Error, Sendable, Hashable {
        case invalidJSON(JSONParseError)
        case unreadableFile(reason: String)
        case notAQuestionnaire(resourceType: String?)
        case missing
        case wrongJSONType(expected: String)
        case invalidValue(String, expected: String)
        case noItems
        case unsupportedItemType(String)
        case duplicateLinkId(String)
        case groupWithoutItems
        case notAllowedOnDisplay(element: String)
        case childrenUnderQuestion
        case optionsOnNonChoiceItem(ItemType)
        case choiceWithoutOptions
        case optionsAndValueSet
        case optionTypeNotAllowed(valueType: String, itemType: ItemType)
        case unsupportedValueType(String)
        case multipleValues([String])
        case valueSetNotContained(String)
        case valueSetNotExpandable(String)
        case maxLengthOnNonText(ItemType)
        case initialTypeMismatch(valueType: String, itemType: ItemType)
        case initialNotAnOption
        case tooManyInitialValues
        case limitNotApplicable(ItemType)
        case limitTypeMismatch(valueType: String, itemType: ItemType)
        case minGreaterThanMax
        case unitNotApplicable(ItemType)
        case quantityWithoutUnit
        case unknownLinkId(String)
        case enableWhenOnNonQuestion(linkId: String, type: ItemType)
        case enableWhenAnswerTypeMismatch(answerType: String, itemType: ItemType)
        case existsNeedsBoolean
        case orderingNotAllowed(operator: String, valueType: String)
        case enableBehaviorRequired
        case enableWhenCycle([String])
        case unsupportedModifierExtension(String)
        case duplicateReference(String, otherSource: String)
        case unsupportedExpressionLanguage(String)
        case invalidVariableName(String)
        case duplicateName(String)
        case overlappingBands(String, String)
        case bandOnNonScore
        case calculatedOnNonNumeric(ItemType)
        case invalidExpression(source: String, problem: String)
    }

    /// The file or other origin, as given to the loader.
    public var source: String
    /// The JSON path of the offending element (`item[2].enableWhen[0].question`); empty for
    /// the whole resource.
    public var path: String
    public var severity: Severity
    public var kind: Kind

    public init(source: String, path: String, severity: Severity = .error, kind: Kind) {
        self.source = source
        self.path = path
        self.severity = severity
        self.kind = kind
    }

    /// `source: path: message`, with `warning:` before the message for warnings.
    public var description: String {
        let location = path.isEmpty ? source : "\(source): \(path)"
        return "\(location): \(severity == .warning ? "warning: " : "")\(message)"
    }

    /// The problem in plain words, without location.
    public var message: String {
        switch kind {
        case .invalidJSON(let error): "is not valid JSON: \(error)"
        case .unreadableFile(let reason): "cannot be read: \(reason)"
        case .notAQuestionnaire(let type): "resourceType must be \"Questionnaire\", found \(type.map { "\"\($0)\"" } ?? "nothing")"
        case .missing: "is missing"
        case .wrongJSONType(let expected): "must be \(expected)"
        case .invalidValue(let value, let expected): "\"\(value)\" is not \(expected)"
        case .noItems: "the questionnaire has no items"
        case .unsupportedItemType(let type): "unsupported item type \"\(type)\""
        case .duplicateLinkId(let linkId): "linkId \"\(linkId)\" is used more than once"
        case .groupWithoutItems: "a group must contain items"
        case .notAllowedOnDisplay(let element): "a display item cannot have \(element)"
        case .childrenUnderQuestion: "only groups may contain items (items nested under a question are not supported)"
        case .optionsOnNonChoiceItem(let type): "answer options are only allowed on choice and open-choice items, not \(type.rawValue)"
        case .choiceWithoutOptions: "a choice item needs answerOption or answerValueSet"
        case .optionsAndValueSet: "answerOption and answerValueSet cannot both be given (FHIR R4 que-4)"
        case .optionTypeNotAllowed(let valueType, let itemType): "value\(valueType) is not allowed on an item of type \(itemType.rawValue)"
        case .unsupportedValueType(let name): "\(name) is not a supported value type"
        case .multipleValues(let names): "only one of \(names.joined(separator: ", ")) may be given"
        case .valueSetNotContained(let reference): "answerValueSet \"\(reference)\" is not a contained ValueSet (only #id references to contained ValueSets are supported)"
        case .valueSetNotExpandable(let reference): "ValueSet \"\(reference)\" lists no concepts (compose.include.concept or expansion.contains)"
        case .maxLengthOnNonText(let type): "maxLength is only allowed on string and text items, not \(type.rawValue)"
        case .initialTypeMismatch(let valueType, let itemType): "initial value\(valueType) does not fit an item of type \(itemType.rawValue)"
        case .initialNotAnOption: "the initial value is not one of the answer options"
        case .tooManyInitialValues: "a non-repeating item can have only one initial value (FHIR R4 que-13)"
        case .limitNotApplicable(let type): "minValue/maxValue do not apply to an item of type \(type.rawValue)"
        case .limitTypeMismatch(let valueType, let itemType): "value\(valueType) does not fit an item of type \(itemType.rawValue)"
        case .minGreaterThanMax: "minValue is greater than maxValue"
        case .unitNotApplicable(let type): "units do not apply to an item of type \(type.rawValue)"
        case .quantityWithoutUnit: "a quantity item needs questionnaire-unit or questionnaire-unitOption"
        case .unknownLinkId(let linkId): "refers to unknown linkId \"\(linkId)\""
        case .enableWhenOnNonQuestion(let linkId, let type): "refers to \"\(linkId)\", an item of type \(type.rawValue), which has no answers"
        case .enableWhenAnswerTypeMismatch(let answerType, let itemType): "answer\(answerType) does not fit the item of type \(itemType.rawValue) it tests"
        case .existsNeedsBoolean: "the exists operator needs answerBoolean"
        case .orderingNotAllowed(let op, let valueType): "operator \"\(op)\" cannot compare \(valueType) answers (only = and != can)"
        case .enableBehaviorRequired: "enableBehavior is required when there is more than one enableWhen (FHIR R4 que-12)"
        case .enableWhenCycle(let linkIds): "enableWhen conditions form a cycle: \(linkIds.joined(separator: " → "))"
        case .unsupportedModifierExtension(let url): "modifier extension \"\(url)\" is not understood, so the item cannot be used safely"
        case .duplicateReference(let reference, let other): "\(reference) is also defined in \(other)"
        case .unsupportedExpressionLanguage(let language): "expression language \"\(language)\" is not supported (only text/fhirpath)"
        case .invalidVariableName(let name): "\"\(name)\" is not a valid variable name (letters, digits and _, not starting with a digit)"
        case .duplicateName(let name): "\"\(name)\" is defined more than once"
        case .overlappingBands(let first, let second): "bands \"\(first)\" and \"\(second)\" overlap"
        case .bandOnNonScore: "bands belong on a score: an item with a calculatedExpression"
        case .calculatedOnNonNumeric(let type): "a calculated score must be an integer or decimal item, not \(type.rawValue)"
        case .invalidExpression(let source, let problem): "the FHIRPath expression \"\(source)\" does not compile: \(problem)"
        }
    }
}
