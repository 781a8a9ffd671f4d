import Testing
@testable import Sharing

// MARK: - An independent oracle: search for another non-negative integer table

/// True when some non-negative integer assignment to the suppressed cells, consistent with
/// every published fact, gives `target` a value other than its true one: the reader cannot
/// pin it down even using that counts are never negative. Exhaustive search, so only for
/// small tables; independent of `Disclosure`'s linear algebra.
func hiddenValueIsAmbiguous(target: CellKey, truth: [CellKey: Int], facts: [PublishedFact]) -> Bool {
    let known = Set(facts.filter { $0.cells.count == 1 }.flatMap(\.cells))
    let unknown = truth.keys.filter { !known.contains($0) }.sorted { ($0.row, $0.column) < ($1.row, $1.column) }
    let constraining = facts.filter { $0.cells.count > 1 }
    // Any published sum containing a cell bounds it; a cell in no published sum is free.
    var bound = [CellKey: Int]()
    for cell in unknown {
        let limits = constraining.filter { $0.cells.contains(cell) }.map(\.value)
        guard let limit = limits.min() else { return true }
        bound[cell] = limit
    }
    var assignment = truth.filter { known.contains($0.key) }
    func consistent() -> Bool {
        for fact in constraining {
            var sum = 0
            var open = false
            for cell in fact.cells {
                if let value = assignment[cell] { sum += value } else { open = true }
            }
            if sum > fact.value || (!open && sum != fact.value) { return false }
        }
        return true
    }
    func search(_ index: Int) -> Bool {
        guard index < unknown.count else { return assignment[target] != truth[target] }
        let cell = unknown[index]
        for value in 0...bound[cell]! {
            assignment[cell] = value
            if consistent() && search(index + 1) { return true }
        }
        assignment[cell] = nil
        return false
    }
    return search(0)
}

func truthTable(_ table: CountTable) -> [CellKey: Int] {
    var truth = [CellKey: Int]()
    for (row, rowLabel) in table.rowLabels.enumerated() {
        for (column, columnLabel) in table.columnLabels.enumerated() {
            truth[CellKey(row: rowLabel, column: columnLabel)] = table.counts[row][column]
        }
    }
    return truth
}

func makeTable(_ counts: [[Int]]) throws -> CountTable {
    try CountTable(rowLabels: counts.indices.map { "r\($0)" }, columnLabels: counts[0].indices.map { "c\($0)" },
                   counts: counts)
}

// MARK: - Properties every suppressed table must have

struct TableCase: Sendable, CustomTestStringConvertible {
    let name: String
    let counts: [[Int]]
    var testDescription: String { name }
}

let tableCases: [TableCase] = [
    TableCase(name: "one small cell", counts: [[1, 10, 10], [10, 10, 10], [10, 10, 10]]),
    TableCase(name: "two small cells in a row", counts: [[3, 2, 20], [8, 9, 10], [7, 6, 12]]),
    TableCase(name: "small cells among zeros", counts: [[0, 0, 3], [0, 7, 9], [12, 0, 6]]),
    TableCase(name: "single cell table", counts: [[2]]),
    TableCase(name: "small cell alone in its row and column", counts: [[3, 0, 0], [0, 20, 20], [0, 20, 20]]),
    TableCase(name: "diagonal with a small cell", counts: [[4, 0], [0, 30]]),
    TableCase(name: "all cells small", counts: [[1, 1, 1], [1, 1, 1]]),
    TableCase(name: "small row total", counts: [[1, 2, 0], [30, 40, 50]]),
    TableCase(name: "one column", counts: [[2], [30], [40]]),
    TableCase(name: "one row", counts: [[12, 4, 30]]),
    TableCase(name: "nothing small", counts: [[12, 40], [30, 5]]),
    TableCase(name: "all zero", counts: [[0, 0], [0, 0]]),
    TableCase(name: "four by three", counts: [[50, 60, 2], [40, 30, 20], [10, 3, 80], [25, 25, 25]]),
    TableCase(name: "small cells in a cross", counts: [[9, 1, 9], [1, 9, 1], [9, 1, 9]]),
]

/// Small tables from a fixed linear congruential sequence, skewed towards small counts.
let generatedCases: [TableCase] = {
    var state: UInt64 = 20_260_522
    func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
    return (0..<40).map { index in
        let rows = 2 + next(3)
        let columns = 2 + next(2)
        let counts = (0..<rows).map { _ in
            (0..<columns).map { _ in [0, 1, 2, 3, 4, 6, 9, 15][next(8)] }
        }
        return TableCase(name: "generated #\(index) \(counts)", counts: counts)
    }
}()

@Test(arguments: tableCases + generatedCases)
func suppressionHidesSmallCountsAndShowsTrueValues(testCase: TableCase) throws {
    let table = try makeTable(testCase.counts)
    let published = try SmallCellSuppression.suppress(table)
    for (row, values) in table.counts.enumerated() {
        for (column, count) in values.enumerated() {
            let shown = published.cells[row][column]
            if (1..<5).contains(count) { #expect(shown == .suppressed, "cell \(row),\(column) = \(count)") }
            if let value = shown.value { #expect(value == count) }
            if count == 0 { #expect(shown == .value(0), "zeros are shown") }
        }
    }
    for (total, shown) in zip(table.rowTotals + table.columnTotals + [table.grandTotal],
                              published.rowTotals + published.columnTotals + [published.grandTotal]) {
        if (1..<5).contains(total) { #expect(shown == .suppressed) }
        if let value = shown.value { #expect(value == total) }
    }
}

@Test(arguments: tableCases + generatedCases)
func noHiddenCellCanBeRecoveredBySubtraction(testCase: TableCase) throws {
    let table = try makeTable(testCase.counts)
    let published = try SmallCellSuppression.suppress(table)
    let disclosure = Disclosure(facts: published.facts)
    let truth = truthTable(table)
    for (row, rowLabel) in table.rowLabels.enumerated() {
        for (column, columnLabel) in table.columnLabels.enumerated() where published.cells[row][column] == .suppressed {
            let cell = CellKey(row: rowLabel, column: columnLabel)
            #expect(!disclosure.isDisclosed([cell]), "\(cell) disclosed")
            #expect(hiddenValueIsAmbiguous(target: cell, truth: truth, facts: published.facts), "\(cell) pinned down")
            // Never alone: its row and its column each hide another number too.
            let rowHidden = published.cells[row].filter { $0 == .suppressed }.count
                + (published.rowTotals[row] == .suppressed ? 1 : 0)
            let columnHidden = published.cells.filter { $0[column] == .suppressed }.count
                + (published.columnTotals[column] == .suppressed ? 1 : 0)
            #expect(rowHidden >= 2 && columnHidden >= 2)
        }
    }
}

@Test func suppressionLeavesCleanTablesAlone() throws {
    let published = try SmallCellSuppression.suppress(try makeTable([[12, 40], [30, 5]]))
    #expect(published.suppressedCellCount == 0)
    #expect(published.rowTotals == [.value(52), .value(35)])
    #expect(published.columnTotals == [.value(42), .value(45)])
    #expect(published.grandTotal == .value(87))
}

@Test func oneSmallCellGetsTheSmallestComplementsInItsRowAndColumn() throws {
    let published = try SmallCellSuppression.suppress(try makeTable([[1, 10, 11], [12, 10, 10], [13, 10, 10]]))
    #expect(published.cells.map { $0.map(\.description) } == [["•", "•", "11"], ["•", "•", "10"], ["13", "10", "10"]])
    #expect(published.rowTotals.allSatisfy { $0.value != nil })
    #expect(published.columnTotals.allSatisfy { $0.value != nil })
}

@Test func thresholdIsConfigurable() throws {
    let table = try makeTable([[6, 20], [20, 20]])
    #expect(try SmallCellSuppression.suppress(table).suppressedCellCount == 0)
    #expect(try SmallCellSuppression.suppress(table, threshold: 10).suppressedCellCount == 4)
    #expect(throws: SharingError.invalidThreshold(0)) { try SmallCellSuppression.suppress(table, threshold: 0) }
}

// MARK: - Two overlapping queries (differencing)

private let departments = ["Odense", "Svendborg", "Vejle"]
private let colours = ["red", "green"]
private let differencingTable = try! CountTable(rowLabels: departments, columnLabels: colours,
                                                counts: [[10, 12], [9, 14], [2, 30]])
private let vejleRed = CellKey(row: "Vejle", column: "red")

@Test func independentlySuppressedOverlappingQueriesLeakByDifference() throws {
    // The attack the design prevents: each query suppressed on its own.
    let firstTwo = try CountTable(rowLabels: ["Odense", "Svendborg"], columnLabels: colours, counts: [[10, 12], [9, 14]])
    let pooled = try SmallCellSuppression.suppress(firstTwo).facts + SmallCellSuppression.suppress(differencingTable).facts
    #expect(Disclosure(facts: pooled).isDisclosed([vejleRed]))
}

@Test func overlappingSlicesOfOneSuppressedTableDoNotLeak() throws {
    let full = try SmallCellSuppression.suppress(differencingTable)
    let queries = [["Odense", "Svendborg"], ["Odense", "Svendborg", "Vejle"], ["Vejle"], ["Svendborg", "Vejle"],
                   ["Odense"], ["Vejle", "Odense"]]
    let pooled = try full.facts + queries.flatMap { try full.selectingRows($0).facts }
    #expect(!Disclosure(facts: pooled).isDisclosed([vejleRed]))
    #expect(hiddenValueIsAmbiguous(target: vejleRed, truth: truthTable(differencingTable), facts: pooled))
}

@Test func sliceShowsOnlyTotalsItsShownCellsProve() throws {
    let full = try SmallCellSuppression.suppress(differencingTable)
    let slice = try full.selectingRows(["Svendborg", "Odense"])
    #expect(slice.rowLabels == ["Svendborg", "Odense"])
    #expect(slice.cells == [full.cells[1], full.cells[0]])
    for column in colours.indices {
        let parts = slice.cells.map { $0[column] }
        if parts.contains(.suppressed) {
            #expect(slice.columnTotals[column] == .suppressed)
        } else {
            #expect(slice.columnTotals[column] == .value(parts.compactMap(\.value).reduce(0, +)))
        }
    }
}

@Test func slicingRejectsUnknownAndRepeatedRows() throws {
    let full = try SmallCellSuppression.suppress(differencingTable)
    #expect(throws: SharingError.unknownRow("Aarhus")) { try full.selectingRows(["Aarhus"]) }
    #expect(throws: SharingError.duplicateLabel("Vejle")) { try full.selectingRows(["Vejle", "Vejle"]) }
}

// MARK: - Table validation

@Test func countTablesMustBeRectangularNonNegativeAndNonOverlapping() {
    #expect(throws: SharingError.emptyTable) { try CountTable(rowLabels: [], columnLabels: ["a"], counts: []) }
    #expect(throws: SharingError.raggedRow(row: 1, expected: 2, actual: 1)) {
        try CountTable(rowLabels: ["x", "y"], columnLabels: ["a", "b"], counts: [[1, 2], [3]])
    }
    #expect(throws: SharingError.negativeCount(row: 0, column: 1, count: -1)) {
        try CountTable(rowLabels: ["x"], columnLabels: ["a", "b"], counts: [[1, -1]])
    }
    #expect(throws: SharingError.duplicateLabel("x")) {
        try CountTable(rowLabels: ["x", "x"], columnLabels: ["a"], counts: [[1], [2]])
    }
}
