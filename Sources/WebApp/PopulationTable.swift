import Sharing

/// One count table of the population overview over a fixed grouping: every row belongs to one
/// plan (or to none, `plan == ""`, and is then part of every plan's view).
///
/// A plan filter never builds a new table: the whole department's table is published once
/// (suppressed for aggregate-only viewers) and the filter selects its rows
/// (`SuppressedTable.selectingRows`), so two views cannot be subtracted to reveal a hidden
/// cell (docs/access-policy.md, "Differencing between queries").
struct PopulationTable: Sendable, Hashable {
    /// The name used in `?table=` for the CSV download.
    let id: String
    let rowLabels: [String]
    /// The plan id of each row; "" for rows that belong to every plan.
    let rowPlans: [String]
    let columnLabels: [String]
    let counts: [[Int]]
    /// Whether the columns partition the row (so row and column totals mean something).
    let hasTotals: Bool

    /// The table as published to a viewer: exact for `threshold` 1, otherwise suppressed once
    /// over all rows, then sliced to the rows of `plan` (nil: all rows).
    func published(threshold: Int, plan: String?) throws -> SuppressedTable {
        let labels = rowLabels.isEmpty ? ["–"] : rowLabels
        let cells = counts.isEmpty ? [Array(repeating: 0, count: columnLabels.count)] : counts
        let full = try SmallCellSuppression.suppress(CountTable(rowLabels: labels, columnLabels: columnLabels, counts: cells),
                                                     threshold: threshold)
        guard let plan else { return full }
        let selected = zip(rowLabels, rowPlans).filter { $0.1 == plan || $0.1.isEmpty }.map(\.0)
        return try full.selectingRows(selected.isEmpty ? [] : selected)
    }
}
