import Testing
@testable import Sharing

private let a = CellKey(row: "r", column: "a")
private let b = CellKey(row: "r", column: "b")
private let c = CellKey(row: "r", column: "c")

struct DisclosureCase: Sendable, CustomTestStringConvertible {
    let name: String
    let facts: [PublishedFact]
    let target: Set<CellKey>
    let disclosed: Bool
    var testDescription: String { name }
}

@Test(arguments: [
    DisclosureCase(name: "total minus the visible cell", facts: [.init(cells: [a, b], value: 5), .init(cells: [a], value: 2)],
                   target: [b], disclosed: true),
    DisclosureCase(name: "a total alone hides its parts", facts: [.init(cells: [a, b], value: 5)],
                   target: [a], disclosed: false),
    DisclosureCase(name: "a total alone is itself known", facts: [.init(cells: [a, b], value: 5)],
                   target: [a, b], disclosed: true),
    DisclosureCase(name: "three overlapping pair sums pin each cell (needs fractions)",
                   facts: [.init(cells: [a, b], value: 3), .init(cells: [b, c], value: 4), .init(cells: [a, c], value: 5)],
                   target: [a], disclosed: true),
    DisclosureCase(name: "two overlapping sums give their difference",
                   facts: [.init(cells: [a, b, c], value: 9), .init(cells: [a, b], value: 7)],
                   target: [c], disclosed: true),
    DisclosureCase(name: "a cell no fact mentions is unknown", facts: [.init(cells: [a], value: 1)],
                   target: [c], disclosed: false),
    DisclosureCase(name: "nothing published", facts: [], target: [a], disclosed: false),
])
func disclosureFollowsLinearSpan(testCase: DisclosureCase) {
    #expect(Disclosure(facts: testCase.facts).isDisclosed(testCase.target) == testCase.disclosed)
}
