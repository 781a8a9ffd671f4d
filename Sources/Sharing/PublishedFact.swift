/// One cell of a count table, named by its row and column group labels.
public struct CellKey: Sendable, Hashable, CustomStringConvertible {
    /// The row group label.
    public let row: String
    /// The column group label.
    public let column: String

    /// Names a cell.
    public init(row: String, column: String) {
        self.row = row
        self.column = column
    }

    public var description: String { "\(row)/\(column)" }
}

/// What a reader learns from one published number: the sum of some cells is `value`.
///
/// A published cell is a fact over one cell, a published row total a fact over the row's
/// cells, and so on. Facts from several published tables over the same grouping can be
/// pooled, which is how `Disclosure` models a reader who combines queries.
public struct PublishedFact: Sendable, Hashable {
    /// The cells whose sum was published.
    public let cells: Set<CellKey>
    /// The published sum.
    public let value: Int

    /// Creates a fact.
    public init(cells: Set<CellKey>, value: Int) {
        self.cells = cells
        self.value = value
    }
}
