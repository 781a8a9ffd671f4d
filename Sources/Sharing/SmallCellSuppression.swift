/// Small-cell suppression with complementary suppression for published count tables.
///
/// Primary suppression hides every cell and total with `0 < count < k` (default k = 5, the
/// threshold Danish health statistics commonly use for counts of persons). Complementary
/// suppression then hides further numbers until no hidden number can be worked out exactly
/// from what is shown: not by subtracting visible cells from a total, and not by any chain
/// of such subtractions (checked with `Disclosure`, exact linear algebra over all row,
/// column and total equations). A hidden number is therefore never alone in a row or column.
///
/// Complements are chosen among non-zero numbers only, smallest first, cells before
/// totals: a hidden zero would let a reader fix a chain of hidden cells by non-negativity.
/// Zeros are shown: a zero count discloses nothing about a person.
///
/// Differencing between queries is prevented by construction rather than by checking: a
/// table is built over a fixed grouping (`CountTable` labels cannot overlap), suppressed
/// once, and every query is answered by `SuppressedTable.selectingRows` of that one table.
public enum SmallCellSuppression {
    /// The default threshold k: counts from 1 to k − 1 are hidden.
    public static let defaultThreshold = 5

    /// Returns `table` with small counts and their complements suppressed.
    public static func suppress(_ table: CountTable, threshold: Int = defaultThreshold) throws(SharingError) -> SuppressedTable {
        guard threshold >= 1 else { throw .invalidThreshold(threshold) }
        let layout = Layout(table: table)
        var hidden = Set(layout.items.filter { (1..<threshold).contains(layout.value($0)) })
        while true {
            let disclosure = Disclosure(facts: layout.facts(hiding: hidden))
            let leaked = layout.items.filter { hidden.contains($0) && disclosure.isDisclosed(layout.cells($0)) }
            guard let complement = layout.complement(for: leaked, hidden: hidden) else { break }
            hidden.insert(complement)
        }
        return layout.published(hiding: hidden)
    }
}

// MARK: - The numbers of a table and the equations between them

/// One published number: a cell or a total.
private enum Item: Hashable {
    case cell(Int, Int)
    case rowTotal(Int)
    case columnTotal(Int)
    case grandTotal

    var isTotal: Bool {
        if case .cell = self { false } else { true }
    }
}

/// A table's numbers, the cells each one sums, and the additive equations between them.
private struct Layout {
    let table: CountTable
    let rowTotals: [Int]
    let columnTotals: [Int]
    let items: [Item]

    init(table: CountTable) {
        self.table = table
        rowTotals = table.rowTotals
        columnTotals = table.columnTotals
        let rows = table.rowLabels.indices
        let columns = table.columnLabels.indices
        items = rows.flatMap { row in columns.map { Item.cell(row, $0) } }
            + rows.map(Item.rowTotal) + columns.map(Item.columnTotal) + [.grandTotal]
    }

    func value(_ item: Item) -> Int {
        switch item {
        case .cell(let row, let column): table.counts[row][column]
        case .rowTotal(let row): rowTotals[row]
        case .columnTotal(let column): columnTotals[column]
        case .grandTotal: table.grandTotal
        }
    }

    func cells(_ item: Item) -> Set<CellKey> {
        let rows = table.rowLabels.indices
        let columns = table.columnLabels.indices
        let pairs: [(Int, Int)] = switch item {
        case .cell(let row, let column): [(row, column)]
        case .rowTotal(let row): columns.map { (row, $0) }
        case .columnTotal(let column): rows.map { ($0, column) }
        case .grandTotal: rows.flatMap { row in columns.map { (row, $0) } }
        }
        return Set(pairs.map { CellKey(row: table.rowLabels[$0.0], column: table.columnLabels[$0.1]) })
    }

    /// The equations (parts and their total) that `item` takes part in.
    func equations(containing item: Item) -> [[Item]] {
        let rows = table.rowLabels.indices
        let columns = table.columnLabels.indices
        func row(_ index: Int) -> [Item] { columns.map { Item.cell(index, $0) } + [.rowTotal(index)] }
        func column(_ index: Int) -> [Item] { rows.map { Item.cell($0, index) } + [.columnTotal(index)] }
        let totalsByRow = rows.map(Item.rowTotal) + [.grandTotal]
        let totalsByColumn = columns.map(Item.columnTotal) + [.grandTotal]
        return switch item {
        case .cell(let r, let c): [row(r), column(c)]
        case .rowTotal(let r): [row(r), totalsByRow]
        case .columnTotal(let c): [column(c), totalsByColumn]
        case .grandTotal: [totalsByRow, totalsByColumn]
        }
    }

    /// The next number to hide so that fewer of the `leaked` hidden numbers can be worked out;
    /// nil when nothing leaks (or, impossibly, nothing non-zero is left to hide).
    ///
    /// Among the equations of leaked numbers, the one with the fewest hidden members is
    /// repaired first (a number alone in an equation is the plain subtraction case); in it the
    /// complement is a shown non-zero number, cells before totals, preferring one whose other
    /// equation already hides something (closing a cycle of hidden cells, which is what
    /// makes them unrecoverable), then the smallest. With no such candidate, the smallest shown
    /// non-zero number anywhere.
    func complement(for leaked: [Item], hidden: Set<Item>) -> Item? {
        guard !leaked.isEmpty else { return nil }
        var best: (key: (Int, Int, Int, Int), item: Item)?
        for item in leaked {
            for equation in equations(containing: item) {
                let hiddenInEquation = hiddenCount(equation, hidden)
                for candidate in equation where !hidden.contains(candidate) && value(candidate) > 0 {
                    let closesCycle = equations(containing: candidate).contains {
                        $0 != equation && hiddenCount($0, hidden) > 0
                    }
                    let key = (hiddenInEquation, candidate.isTotal ? 1 : 0, closesCycle ? 0 : 1, value(candidate))
                    if best.map({ key < $0.key }) ?? true { best = (key, candidate) }
                }
            }
        }
        if let best { return best.item }
        return items.filter { !hidden.contains($0) && value($0) > 0 }
            .min { ($0.isTotal ? 1 : 0, value($0)) < ($1.isTotal ? 1 : 0, value($1)) }
    }

    private func hiddenCount(_ equation: [Item], _ hidden: Set<Item>) -> Int {
        equation.filter(hidden.contains).count
    }

    func facts(hiding hidden: Set<Item>) -> [PublishedFact] {
        items.filter { !hidden.contains($0) }.map { PublishedFact(cells: cells($0), value: value($0)) }
    }

    func published(hiding hidden: Set<Item>) -> SuppressedTable {
        func count(_ item: Item) -> PublishedCount { hidden.contains(item) ? .suppressed : .value(value(item)) }
        let rows = table.rowLabels.indices
        let columns = table.columnLabels.indices
        return SuppressedTable(
            rowLabels: table.rowLabels, columnLabels: table.columnLabels,
            cells: rows.map { row in columns.map { count(.cell(row, $0)) } },
            rowTotals: rows.map { count(.rowTotal($0)) },
            columnTotals: columns.map { count(.columnTotal($0)) },
            grandTotal: count(.grandTotal))
    }
}
