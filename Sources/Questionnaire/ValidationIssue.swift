/// One problem with the answers to one item, to be shown next to that item.
public struct ValidationIssue: Sendable, Hashable {
    public var linkId: String
    public var problem: ValidationProblem

    public init(linkId: String, problem: ValidationProblem) {
        self.linkId = linkId
        self.problem = problem
    }

    /// The message for the patient (see `ValidationProblem.message(language:)`).
    public func message(language: String) -> String {
        problem.message(language: language)
    }
}
