import Foundation

/// An enrolment's place on the worklist, derived from its rounds.
public struct WorklistStatus: Sendable, Hashable {
    public var category: WorklistCategory
    /// When the finding was raised: the answer or the expiry; nil otherwise.
    public var raisedAt: Date?
    /// The department's deadline under the plan's working-day rule; nil when none applies.
    public var deadline: Date?
    /// The consecutive non-response level when the latest round expired.
    public var nonResponseLevel: Int?

    public init(category: WorklistCategory, raisedAt: Date? = nil, deadline: Date? = nil, nonResponseLevel: Int? = nil) {
        self.category = category
        self.raisedAt = raisedAt
        self.deadline = deadline
        self.nonResponseLevel = nonResponseLevel
    }
}
