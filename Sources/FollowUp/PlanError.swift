/// Why plans could not be loaded: every problem of every file, in file and document order.
///
/// The loader does not stop at the first problem, so the department sees the whole list.
public struct PlanError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [PlanProblem]

    public init(problems: [PlanProblem]) {
        self.problems = problems
    }

    /// One problem per line.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
