import Questionnaire

/// Which pages of a questionnaire a patient walks through, given their answers so far.
///
/// A page whose items are all disabled by enableWhen (for example a whole group that applies
/// only to smokers) is skipped in both directions and not counted in "page 2 of 5".
struct Navigation {
    let definition: QuestionnaireDefinition
    private let enabled: Set<String>

    init(definition: QuestionnaireDefinition, answers: ResponseAnswers) {
        self.definition = definition
        enabled = definition.enabledLinkIds(answers)
    }

    func isEnabled(_ pageIndex: Int) -> Bool {
        definition.pages.indices.contains(pageIndex)
            && definition.pages[pageIndex].items.contains { enabled.contains($0.linkId) }
    }

    /// The next page to show after `pageIndex`, or nil when the review comes next.
    func next(after pageIndex: Int) -> Int? {
        definition.pages.indices.first { $0 > pageIndex && isEnabled($0) }
    }

    /// The page before `pageIndex`, or nil on the first page.
    func previous(before pageIndex: Int) -> Int? {
        definition.pages.indices.last { $0 < pageIndex && isEnabled($0) }
    }

    /// "Page n of m" counting only the pages the patient walks through.
    func position(of pageIndex: Int) -> (number: Int, count: Int) {
        let walked = definition.pages.indices.filter(isEnabled)
        return ((walked.firstIndex(of: pageIndex) ?? 0) + 1, walked.count)
    }

    /// Where a patient opening the link continues: a new patient on the first page; a
    /// returning one where they left off, or the next page that applies when that page no
    /// longer does; nil for the review.
    func resumeIndex(saved: Bool, leftOffAt page: Int?) -> Int? {
        guard saved else { return definition.pages.indices.first(where: isEnabled) }
        guard let page else { return nil }
        return isEnabled(page) ? page : next(after: page)
    }
}
