import Foundation

/// Ordering, filtering and sorting of worklist rows, as pure functions over arrays.
public enum Worklist {
    /// A column the clinician can sort on.
    public enum Column: String, Sendable, Hashable, CaseIterable {
        case patientName, cpr, plan, category, answeredAt, deadline, assignedClinician, lastContact
    }

    /// The triage order the day starts with: by category (red, yellow, no answer, due soon,
    /// green), within a category the oldest deadline first; rows without a deadline after those
    /// with one; ties keep their input order.
    public static func triageOrdered(_ rows: [WorklistRow]) -> [WorklistRow] {
        stableSorted(rows) { lhs, rhs in
            if lhs.category != rhs.category { return lhs.category < rhs.category ? .orderedAscending : .orderedDescending }
            return compareOptional(lhs.deadline, rhs.deadline, ascending: true)
        }
    }

    /// The rows that pass `filter`, in their input order.
    public static func filtered(_ rows: [WorklistRow], by filter: WorklistFilter) -> [WorklistRow] {
        rows.filter(filter.matches)
    }

    /// Sorted on `column`, ascending or descending, stable (equal rows keep their input order,
    /// so sorting by plan after the triage order keeps triage order within each plan). Rows
    /// without a value in the column come last either way. Names sort in Danish order
    /// (… x, y, z, æ, ø, å), case-insensitively.
    public static func sorted(_ rows: [WorklistRow], by column: Column, ascending: Bool = true) -> [WorklistRow] {
        stableSorted(rows) { lhs, rhs in
            switch column {
            case .patientName: compare(DanishCollation.key(lhs.patientName), DanishCollation.key(rhs.patientName), ascending)
            case .cpr: compare(lhs.cpr.digits, rhs.cpr.digits, ascending)
            case .plan: compare(lhs.planID, rhs.planID, ascending)
            case .category: compare(lhs.category, rhs.category, ascending)
            case .answeredAt: compareOptional(lhs.answeredAt, rhs.answeredAt, ascending: ascending)
            case .deadline: compareOptional(lhs.deadline, rhs.deadline, ascending: ascending)
            case .assignedClinician: compareOptional(lhs.assignedClinician.map(DanishCollation.key), rhs.assignedClinician.map(DanishCollation.key), ascending: ascending)
            case .lastContact: compareOptional(lhs.lastContact, rhs.lastContact, ascending: ascending)
            }
        }
    }

    // MARK: Comparison

    /// Sorts by `order`, breaking ties by input position so the result is stable by
    /// construction rather than by the standard library's algorithm.
    private static func stableSorted(_ rows: [WorklistRow], by order: (WorklistRow, WorklistRow) -> ComparisonResult) -> [WorklistRow] {
        rows.enumerated().sorted { lhs, rhs in
            switch order(lhs.element, rhs.element) {
            case .orderedAscending: true
            case .orderedDescending: false
            case .orderedSame: lhs.offset < rhs.offset
            }
        }.map(\.element)
    }

    private static func compare<Value: Comparable>(_ lhs: Value, _ rhs: Value, _ ascending: Bool) -> ComparisonResult {
        if lhs == rhs { return .orderedSame }
        return (lhs < rhs) == ascending ? .orderedAscending : .orderedDescending
    }

    /// nil sorts after every value in both directions.
    private static func compareOptional<Value: Comparable>(_ lhs: Value?, _ rhs: Value?, ascending: Bool) -> ComparisonResult {
        switch (lhs, rhs) {
        case (nil, nil): .orderedSame
        case (nil, _): .orderedDescending
        case (_, nil): .orderedAscending
        case (let lhs?, let rhs?): compare(lhs, rhs, ascending)
        }
    }
}
