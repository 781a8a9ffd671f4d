import Foundation

/// Criteria that narrow the worklist; every criterion set must hold (they combine with AND).
///
/// Clinicians asked for "advanced filtering with several criteria" (MISSION.md). An empty set
/// or nil means "any".
public struct WorklistFilter: Sendable, Hashable {
    /// Which date a date range applies to.
    public enum DateField: String, Sendable, Hashable, CaseIterable {
        case answeredAt, deadline, lastContact
    }

    /// A half-open range `[from, to)` on one of the row's dates; a row without that date fails.
    public struct DateRange: Sendable, Hashable {
        public var field: DateField
        public var from: Date?
        public var to: Date?

        public init(field: DateField, from: Date? = nil, to: Date? = nil) {
            self.field = field
            self.from = from
            self.to = to
        }
    }

    /// Whose rows to show.
    public enum Assignment: Sendable, Hashable {
        case anyone
        case unassigned
        case clinician(String)
    }

    public var planIDs: Set<String>
    public var categories: Set<WorklistCategory>
    public var dateRange: DateRange?
    public var assignment: Assignment
    /// A substring of the name (case-insensitive) or of the CPR number (digits; a hyphen or
    /// spaces in the query are ignored). Blank matches every row.
    public var search: String

    public init(planIDs: Set<String> = [], categories: Set<WorklistCategory> = [], dateRange: DateRange? = nil,
                assignment: Assignment = .anyone, search: String = "") {
        self.planIDs = planIDs
        self.categories = categories
        self.dateRange = dateRange
        self.assignment = assignment
        self.search = search
    }

    /// Whether `row` passes every criterion.
    public func matches(_ row: WorklistRow) -> Bool {
        (planIDs.isEmpty || planIDs.contains(row.planID))
            && (categories.isEmpty || categories.contains(row.category))
            && matchesDateRange(row)
            && matchesAssignment(row)
            && matchesSearch(row)
    }

    private func matchesDateRange(_ row: WorklistRow) -> Bool {
        guard let dateRange else { return true }
        guard let date = Self.date(row, dateRange.field) else { return false }
        return dateRange.contains(date)
    }

    private func matchesAssignment(_ row: WorklistRow) -> Bool {
        switch assignment {
        case .anyone: true
        case .unassigned: row.assignedClinician == nil
        case .clinician(let name): row.assignedClinician == name
        }
    }

    private func matchesSearch(_ row: WorklistRow) -> Bool {
        let query = search.trimmingWhiteSpace()
        if query.isEmpty { return true }
        if row.patientName.lowercased().contains(query.lowercased()) { return true }
        let digits = query.filter { $0 != "-" && $0 != " " }
        return !digits.isEmpty && digits.allSatisfy { ("0"..."9").contains($0) } && row.cpr.digits.contains(digits)
    }

    static func date(_ row: WorklistRow, _ field: DateField) -> Date? {
        switch field {
        case .answeredAt: row.answeredAt
        case .deadline: row.deadline
        case .lastContact: row.lastContact
        }
    }
}

extension WorklistFilter.DateRange {
    /// `from <= date < to`, each bound optional.
    public func contains(_ date: Date) -> Bool {
        (from.map { $0 <= date } ?? true) && (to.map { date < $0 } ?? true)
    }
}
