import FHIRPath
import JSON

/// A validated, immutable FHIR R4 Questionnaire in the subset ByNeed can render and score.
///
/// Built once (at start-up, by `QuestionnaireCatalogue` or `parse(_:source:strictness:)`),
/// then shared read-only between requests. `source` keeps the raw resource so scoring and
/// export can read elements this model does not interpret.
public struct QuestionnaireDefinition: Sendable {
    /// How strictly resource-level metadata is checked.
    public enum Strictness: Sendable, Hashable {
        /// ByNeed's own catalogue: `url`, `version` and `status` are required.
        case catalogue
        /// Files from other tools: a missing `url`, `version` or `status` is a warning.
        case lenient
    }

    /// FHIR R4 `PublicationStatus`.
    public enum Status: String, Sendable, Hashable {
        case draft, active, retired, unknown
    }

    /// Canonical URL (`Questionnaire.url`); empty when a lenient load found none.
    public let url: String
    /// Business version (`Questionnaire.version`); empty when a lenient load found none.
    public let version: String
    /// Computer-friendly name (`Questionnaire.name`).
    public let name: String?
    /// Title for people; falls back to `name`, then the source name.
    public let title: LocalizedText
    /// Publication status; `.unknown` when a lenient load found none.
    public let status: Status
    /// The language of the base texts (`Questionnaire.language`, BCP 47, e.g. `da`).
    public let language: String?
    /// `Questionnaire.description` (markdown), with translations.
    public let description: LocalizedText?
    /// `Questionnaire.copyright` (markdown), with translations.
    public let copyright: LocalizedText?
    /// The top-level items.
    public let items: [QuestionnaireItem]
    /// The raw resource as loaded.
    public let source: JSON
    /// Where the resource came from (file name), for messages.
    public let sourceName: String
    /// Non-fatal problems found while loading (lenient mode).
    public internal(set) var warnings: [QuestionnaireProblem]
    /// The pages of the patient form, in order.
    public let pages: [QuestionnairePage]
    /// Variables, flags and triage rules on the Questionnaire root (docs/scoring-and-triage.md).
    public internal(set) var scoring = ScoringRules()

    let itemsByLinkId: [String: QuestionnaireItem]
    let parentByLinkId: [String: String]
    /// Every linkId in document order (depth first).
    let orderedLinkIds: [String]
    /// Every linkId, for definitions without any enableWhen: then every item is always
    /// enabled, and the set is built once instead of for every response (nil otherwise).
    let alwaysEnabledLinkIds: Set<String>?
    /// Every item at any depth in document order (depth first), as `validateAll` checks them:
    /// flattened once here instead of for every response.
    let flattenedItems: [QuestionnaireItem]
    /// The linkIds of the calculated items (those with a `calculatedExpression`), in document
    /// order: the ones `evaluate` computes.
    let calculatedLinkIds: [String]
    /// The linkIds of the items that can raise a triage finding by their answer (answer
    /// significance or the contact wish), in document order.
    let triageLinkIds: [String]

    /// A Coding answer option with its response JSON, built once per definition.
    struct PreparedOption: Sendable {
        let coding: Coding
        /// `{"valueCoding": {…}}`
        let answer: JSON
        /// The whole response item when this option is the only answer:
        /// `{"linkId": …, "text": …, "answer": [answer]}`.
        let item: JSON
    }

    /// The Coding answer options of each question, by linkId, with their response JSON: scoring
    /// writes a working response for every response it scores, and nearly every answer is one
    /// of the options, so the JSON is built here once instead.
    let preparedOptions: [String: [PreparedOption]]
    /// `source` as `%questionnaire` for scoring, made once with its answer weights indexed
    /// (`FHIRPathNode(questionnaire:)`): every evaluation shares it.
    let questionnaireNode: FHIRPathNode

    init(
        url: String, version: String, name: String?, title: LocalizedText, status: Status, language: String?,
        description: LocalizedText?, copyright: LocalizedText?, items: [QuestionnaireItem], source: JSON,
        sourceName: String, warnings: [QuestionnaireProblem]
    ) {
        self.url = url
        self.version = version
        self.name = name
        self.title = title
        self.status = status
        self.language = language
        self.description = description
        self.copyright = copyright
        self.items = items
        self.source = source
        self.sourceName = sourceName
        self.warnings = warnings
        var byLinkId: [String: QuestionnaireItem] = [:]
        var parents: [String: String] = [:]
        var order: [String] = []
        func index(_ item: QuestionnaireItem, parent: String?) {
            byLinkId[item.linkId] = item
            parents[item.linkId] = parent
            order.append(item.linkId)
            for child in item.items { index(child, parent: item.linkId) }
        }
        for item in items { index(item, parent: nil) }
        self.itemsByLinkId = byLinkId
        self.parentByLinkId = parents
        self.orderedLinkIds = order
        alwaysEnabledLinkIds = byLinkId.values.allSatisfy { $0.enableWhen.isEmpty } ? Set(order) : nil
        self.pages = Self.paginate(items, title: title)
        flattenedItems = items.flatMap(\.flattened)
        calculatedLinkIds = order.filter { byLinkId[$0]?.calculatedExpression != nil }
        triageLinkIds = order.filter { byLinkId[$0].map { !$0.significance.isEmpty || $0.isContactWish } ?? false }
        preparedOptions = byLinkId.compactMapValues { item in
            guard item.type != .group, item.type != .display else { return nil }
            let options = item.answerOptions.compactMap { option -> PreparedOption? in
                guard case .coding(let coding) = option.value else { return nil }
                let answer = option.value.answerJSON
                return PreparedOption(coding: coding, answer: answer, item: Self.answeredItem(item, answers: [answer]))
            }
            return options.isEmpty ? nil : options
        }
        questionnaireNode = FHIRPathNode(questionnaire: source)
    }

    /// `url|version`, the canonical reference stored in responses (FHIR R4 §2.1.0.10 canonical);
    /// just `url` when there is no version.
    public var reference: String {
        version.isEmpty ? url : "\(url)|\(version)"
    }

    /// The item with `linkId`, at any depth.
    public func item(linkId: String) -> QuestionnaireItem? {
        itemsByLinkId[linkId]
    }

    /// The linkId of the item containing `linkId`, `nil` for top-level items.
    public func parent(of linkId: String) -> String? {
        parentByLinkId[linkId]
    }

    /// Answers every item starts with: its `initial` values (including `initialSelected`
    /// options). A new draft starts from these, so read-only items carry their value.
    public var initialAnswers: ResponseAnswers {
        var answers = ResponseAnswers()
        for linkId in orderedLinkIds {
            if let item = itemsByLinkId[linkId], !item.initial.isEmpty { answers.set(linkId, item.initial) }
        }
        return answers
    }

    // MARK: Pages

    /// One page per top-level group; consecutive top-level non-group items share a page.
    private static func paginate(_ items: [QuestionnaireItem], title: LocalizedText) -> [QuestionnairePage] {
        var pages: [QuestionnairePage] = []
        var gathered: [QuestionnaireItem] = []
        func flushGathered() {
            guard !gathered.isEmpty else { return }
            pages.append(QuestionnairePage(index: pages.count, title: title, groupLinkId: nil, items: gathered))
            gathered = []
        }
        for item in items {
            if item.type == .group {
                flushGathered()
                pages.append(QuestionnairePage(index: pages.count, title: item.text ?? title, groupLinkId: item.linkId, items: item.items))
            } else {
                gathered.append(item)
            }
        }
        flushGathered()
        return pages
    }
}
