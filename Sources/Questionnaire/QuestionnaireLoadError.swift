/// Why a questionnaire could not be loaded: every error found, with warnings alongside.
///
/// The loader does not stop at the first problem, so an author sees the whole list at once.
public struct QuestionnaireLoadError: Error, Sendable, CustomStringConvertible {
    /// All problems found, errors and warnings, in document order.
    public var problems: [QuestionnaireProblem]

    public init(problems: [QuestionnaireProblem]) {
        self.problems = problems
    }

    /// Only the problems that stop loading.
    public var errors: [QuestionnaireProblem] {
        problems.filter { $0.severity == .error }
    }

    /// One problem per line.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
