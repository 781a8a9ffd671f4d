/// Counts of patients over a fixed, non-overlapping grouping: rows × columns, with totals.
///
/// Rows and columns are labelled groups (departments, triage colours, age bands) that each
/// patient falls into exactly once; labels are unique, so two groups cannot overlap. Totals
/// are computed, never supplied, so they always agree with the cells.
public struct CountTable: Sendable, Hashable {
    /// Row group labels, in order.
    public let rowLabels: [String]
    /// Column group labels, in order.
    public let columnLabels: [String]
    /// `counts[row][column]`.
    public let counts: [[Int]]

    /// Creates a table, checking that it is non-empty, rectangular, non-negative, and that
    /// no label is used twice.
    public init(rowLabels: [String], columnLabels: [String], counts: [[Int]]) throws(SharingError) {
        guard !rowLabels.isEmpty, !columnLabels.isEmpty else { throw .emptyTable }
        for labels in [rowLabels, columnLabels] {
            var seen = Set<String>()
            for label in labels where !seen.insert(label).inserted { throw .duplicateLabel(label) }
        }
        guard counts.count == rowLabels.count else {
            throw .raggedRow(row: min(counts.count, rowLabels.count), expected: columnLabels.count, actual: 0)
        }
        for (row, values) in counts.enumerated() {
            guard values.count == columnLabels.count else {
                throw .raggedRow(row: row, expected: columnLabels.count, actual: values.count)
            }
            if let column = values.firstIndex(where: { $0 < 0 }) {
                throw .negativeCount(row: row, column: column, count: values[column])
            }
        }
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.counts = counts
    }

    /// The sum of each row.
    public var rowTotals: [Int] { counts.map { $0.reduce(0, +) } }

    /// The sum of each column.
    public var columnTotals: [Int] {
        columnLabels.indices.map { column in counts.reduce(0) { $0 + $1[column] } }
    }

    /// The sum of all cells.
    public var grandTotal: Int { rowTotals.reduce(0, +) }
}
