/// Errors thrown by the Sharing module.
public enum SharingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A count table without rows or columns.
    case emptyTable
    /// A row whose length differs from the number of column labels.
    case raggedRow(row: Int, expected: Int, actual: Int)
    /// A negative count.
    case negativeCount(row: Int, column: Int, count: Int)
    /// A row or column label used twice: groupings must not overlap.
    case duplicateLabel(String)
    /// A row label that the table does not have.
    case unknownRow(String)
    /// A suppression threshold below 1.
    case invalidThreshold(Int)

    public var description: String {
        switch self {
        case .emptyTable: "count table has no rows or no columns"
        case .raggedRow(let row, let expected, let actual): "row \(row) has \(actual) counts, expected \(expected)"
        case .negativeCount(let row, let column, let count): "negative count \(count) at row \(row), column \(column)"
        case .duplicateLabel(let label): "label \"\(label)\" is used twice; groups must not overlap"
        case .unknownRow(let label): "no row labelled \"\(label)\""
        case .invalidThreshold(let threshold): "suppression threshold \(threshold) is below 1"
        }
    }
}
