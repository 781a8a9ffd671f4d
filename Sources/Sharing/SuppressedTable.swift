/// A count table ready to publish: small cells and whatever could reveal them are suppressed.
///
/// Made only by `SmallCellSuppression.suppress`; a query over some of the groups is answered
/// with `selectingRows`, which cuts rows out of this one suppressed table instead of
/// suppressing a new table, so no two answers can be subtracted to reveal a hidden cell.
public struct SuppressedTable: Sendable, Hashable {
    /// Row group labels, in order.
    public let rowLabels: [String]
    /// Column group labels, in order.
    public let columnLabels: [String]
    /// `cells[row][column]`.
    public let cells: [[PublishedCount]]
    /// One total per row.
    public let rowTotals: [PublishedCount]
    /// One total per column.
    public let columnTotals: [PublishedCount]
    /// The total of all cells.
    public let grandTotal: PublishedCount

    init(rowLabels: [String], columnLabels: [String], cells: [[PublishedCount]], rowTotals: [PublishedCount],
         columnTotals: [PublishedCount], grandTotal: PublishedCount) {
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.cells = cells
        self.rowTotals = rowTotals
        self.columnTotals = columnTotals
        self.grandTotal = grandTotal
    }

    /// The rows labelled `labels`, in that order, as a table of their own: cells and row
    /// totals as published here; a column total or the grand total only when every number it
    /// sums is published, so the slice tells nothing this table does not.
    public func selectingRows(_ labels: [String]) throws(SharingError) -> SuppressedTable {
        var indices = [Int]()
        for label in labels {
            guard let index = rowLabels.firstIndex(of: label) else { throw .unknownRow(label) }
            guard !indices.contains(index) else { throw .duplicateLabel(label) }
            indices.append(index)
        }
        let selectedCells = indices.map { cells[$0] }
        let selectedTotals = indices.map { rowTotals[$0] }
        return SuppressedTable(
            rowLabels: indices.map { rowLabels[$0] }, columnLabels: columnLabels, cells: selectedCells,
            rowTotals: selectedTotals,
            columnTotals: columnLabels.indices.map { column in Self.sum(selectedCells.map { $0[column] }) },
            grandTotal: Self.sum(selectedTotals))
    }

    /// Everything a reader learns from this table, as sums over cells.
    public var facts: [PublishedFact] {
        var facts = [PublishedFact]()
        func add(_ count: PublishedCount, _ cells: [CellKey]) {
            if let value = count.value { facts.append(PublishedFact(cells: Set(cells), value: value)) }
        }
        for (row, rowLabel) in rowLabels.enumerated() {
            for (column, columnLabel) in columnLabels.enumerated() {
                add(cells[row][column], [CellKey(row: rowLabel, column: columnLabel)])
            }
            add(rowTotals[row], columnLabels.map { CellKey(row: rowLabel, column: $0) })
        }
        for (column, columnLabel) in columnLabels.enumerated() {
            add(columnTotals[column], rowLabels.map { CellKey(row: $0, column: columnLabel) })
        }
        add(grandTotal, rowLabels.flatMap { row in columnLabels.map { CellKey(row: row, column: $0) } })
        return facts
    }

    /// The number of suppressed cells (totals not counted).
    public var suppressedCellCount: Int {
        cells.joined().filter { $0 == .suppressed }.count
    }

    /// The sum of `counts`, or suppressed when any of them is.
    private static func sum(_ counts: [PublishedCount]) -> PublishedCount {
        var total = 0
        for count in counts {
            guard let value = count.value else { return .suppressed }
            total += value
        }
        return .value(total)
    }
}
