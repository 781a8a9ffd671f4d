/// One validated item of a questionnaire (FHIR R4 `Questionnaire.item`, ByNeed's subset).
public struct QuestionnaireItem: Sendable {
    public var linkId: String
    public var text: LocalizedText?
    /// A label shown before the text, such as "1." (`Questionnaire.item.prefix`).
    public var prefix: String?
    public var type: ItemType
    public var required: Bool
    public var repeats: Bool
    public var readOnly: Bool
    /// Maximum number of characters for string and text answers.
    public var maxLength: Int?
    public var answerOptions: [AnswerOption]
    /// Initial answers (`initial[x]`, and options with `initialSelected`).
    public var initial: [AnswerValue]
    /// Lowest allowed answer (`http://hl7.org/fhir/StructureDefinition/minValue`).
    public var minValue: AnswerValue?
    /// Highest allowed answer (`http://hl7.org/fhir/StructureDefinition/maxValue`).
    public var maxValue: AnswerValue?
    /// Units the patient picks from for a quantity (`questionnaire-unitOption`).
    public var unitOptions: [Coding]
    /// The fixed unit (`questionnaire-unit`) of a quantity, decimal or integer item.
    public var unit: Coding?
    public var enableWhen: [EnableWhen]
    public var enableBehavior: EnableBehavior
    /// Child items (only groups have children in ByNeed's subset).
    public var items: [QuestionnaireItem]
    /// What the item means (`Questionnaire.item.code`), e.g. a LOINC code or the contact wish.
    public var codes: [Coding]
    /// Triage colours for conditions on this item's answers.
    public var significance: [AnswerSignificance]
    /// The SDC `calculatedExpression` that computes this item's answer (a score).
    public var calculatedExpression: DefinitionExpression?
    /// SDC `variable`s defined on this item, evaluated before its calculated expression.
    public var variables: [NamedExpression]
    /// Bands of the score this item computes.
    public var bands: [ScoreBand]
    /// Not shown to the patient (`questionnaire-hidden`).
    public var isHidden: Bool

    public init(
        linkId: String, text: LocalizedText? = nil, prefix: String? = nil, type: ItemType,
        required: Bool = false, repeats: Bool = false, readOnly: Bool = false, maxLength: Int? = nil,
        answerOptions: [AnswerOption] = [], initial: [AnswerValue] = [],
        minValue: AnswerValue? = nil, maxValue: AnswerValue? = nil,
        unitOptions: [Coding] = [], unit: Coding? = nil,
        enableWhen: [EnableWhen] = [], enableBehavior: EnableBehavior = .all, items: [QuestionnaireItem] = [],
        codes: [Coding] = [], significance: [AnswerSignificance] = [],
        calculatedExpression: DefinitionExpression? = nil, variables: [NamedExpression] = [], bands: [ScoreBand] = [],
        isHidden: Bool = false
    ) {
        self.linkId = linkId
        self.text = text
        self.prefix = prefix
        self.type = type
        self.required = required
        self.repeats = repeats
        self.readOnly = readOnly
        self.maxLength = maxLength
        self.answerOptions = answerOptions
        self.initial = initial
        self.minValue = minValue
        self.maxValue = maxValue
        self.unitOptions = unitOptions
        self.unit = unit
        self.enableWhen = enableWhen
        self.enableBehavior = enableBehavior
        self.items = items
        self.codes = codes
        self.significance = significance
        self.calculatedExpression = calculatedExpression
        self.variables = variables
        self.bands = bands
        self.isHidden = isHidden
    }

    /// The units a quantity answer may use: the unit options, else the fixed unit.
    public var allowedUnits: [Coding] {
        unitOptions.isEmpty ? (unit.map { [$0] } ?? []) : unitOptions
    }

    /// This item and all its descendants, depth first in document order.
    public var flattened: [QuestionnaireItem] {
        [self] + items.flatMap(\.flattened)
    }
}
