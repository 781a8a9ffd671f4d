/// Which sums of cells a reader can work out exactly from published facts.
///
/// A reader who knows the sums in `facts` knows exactly every linear combination of them,
/// and nothing else exactly: the sum over a set of cells is disclosed if and only if its
/// indicator vector lies in the span of the facts' indicator vectors. This is the
/// subtraction attack in general form (row total minus the visible cells, two overlapping
/// queries minus each other, any chain of both), decided by exact Gaussian elimination.
public struct Disclosure: Sendable {
    private let variables: [CellKey: Int]
    /// Echelon rows: (pivot column, row with 1 at the pivot and 0 at every earlier pivot).
    private let basis: [(pivot: Int, row: [Fraction])]

    /// Builds the reader's knowledge from `facts` (facts from several tables may be pooled).
    public init(facts: [PublishedFact]) {
        var variables = [CellKey: Int]()
        for fact in facts {
            for cell in fact.cells.sorted(by: { ($0.row, $0.column) < ($1.row, $1.column) })
            where variables[cell] == nil {
                variables[cell] = variables.count
            }
        }
        var basis = [(pivot: Int, row: [Fraction])]()
        for fact in facts {
            var row = Disclosure.vector(fact.cells, variables: variables)
            Disclosure.reduce(&row, by: basis)
            guard let pivot = row.firstIndex(where: { !$0.isZero }) else { continue }
            let scale = row[pivot]
            basis.append((pivot, row.map { $0 / scale }))
        }
        self.variables = variables
        self.basis = basis
    }

    /// True when the sum over `cells` follows exactly from the facts. An empty set is
    /// trivially known; a set with a cell no fact mentions is not.
    public func isDisclosed(_ cells: Set<CellKey>) -> Bool {
        guard cells.allSatisfy({ variables[$0] != nil }) else { return false }
        var row = Disclosure.vector(cells, variables: variables)
        Disclosure.reduce(&row, by: basis)
        return row.allSatisfy(\.isZero)
    }

    private static func vector(_ cells: Set<CellKey>, variables: [CellKey: Int]) -> [Fraction] {
        var row = [Fraction](repeating: .zero, count: variables.count)
        for cell in cells {
            if let index = variables[cell] { row[index] = Fraction(1) }
        }
        return row
    }

    private static func reduce(_ row: inout [Fraction], by basis: [(pivot: Int, row: [Fraction])]) {
        for (pivot, basisRow) in basis where !row[pivot].isZero {
            let factor = row[pivot]
            for index in row.indices where !basisRow[index].isZero {
                row[index] = row[index] - factor * basisRow[index]
            }
        }
    }
}
