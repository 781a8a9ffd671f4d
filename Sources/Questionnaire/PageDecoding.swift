/// The answers read from one posted page, and what could not be read.
public struct PageDecoding: Sendable, Hashable {
    /// Answers for the page's items (only values that could be read).
    public var answers: ResponseAnswers
    /// Fields that could not be read (format, unknown option, too many answers, read-only).
    public var issues: [ValidationIssue]
    /// The linkIds the page posts: merge with `ResponseAnswers.merge(_:replacing:)` using
    /// these, so a field the patient cleared removes its stored answer.
    public var decodedLinkIds: [String]

    public init(answers: ResponseAnswers, issues: [ValidationIssue], decodedLinkIds: [String]) {
        self.answers = answers
        self.issues = issues
        self.decodedLinkIds = decodedLinkIds
    }
}
