/// One page of the patient form: a top-level group, or a run of top-level non-group items.
///
/// Server-rendered forms post one page at a time; splitting on top-level groups matches how
/// authors already structure questionnaires into sections.
public struct QuestionnairePage: Sendable {
    /// 0-based position of the page.
    public var index: Int
    /// The heading: the group's text, or the questionnaire title for gathered items.
    public var title: LocalizedText
    /// The group's linkId for a group page; `nil` for gathered top-level items.
    public var groupLinkId: String?
    /// The items shown on the page: the group's children, or the gathered items.
    public var items: [QuestionnaireItem]

    public init(index: Int, title: LocalizedText, groupLinkId: String?, items: [QuestionnaireItem]) {
        self.index = index
        self.title = title
        self.groupLinkId = groupLinkId
        self.items = items
    }

    /// Every item on the page including nested ones, depth first.
    public var allItems: [QuestionnaireItem] {
        items.flatMap(\.flattened)
    }
}
