import Testing
@testable import WebApp

/// The stacked bar chart's geometry.
@Suite struct PopulationBarChartTests {
    static func chart(_ rows: [[Int?]]) -> PopulationBarChart {
        PopulationBarChart(rows: rows.enumerated().map { ("r\($0.offset)", $0.element) }, series: ["a", "b"], width: 400, height: 200)
    }

    /// Largest stacked total → the top of the value axis (four steps of 1, 2 or 5 × 10ⁿ: 47 → steps of 20 → 60).
    @Test(arguments: [([[Int?]]([[0, 0]]), 1), ([[3, 4]], 8), ([[1, 1], [10, 0]], 10), ([[30, 17]], 60), ([[nil, 4]], 4)])
    func theAxisEndsOnARoundNumberAtOrAboveTheHighestBar(rows: [[Int?]], top: Int) {
        let chart = Self.chart(rows)
        #expect(chart.domainHigh == top)
        #expect(chart.yTicks.first?.position == chart.plot.bottom)
        #expect(chart.yTicks.last?.position == chart.plot.y)
    }

    @Test func segmentsStackFromTheAxisAndHeightsAreProportional() {
        let chart = Self.chart([[5, 5], [2, 0]])
        // plot: x 56, y 12, width 332, height 148 (bottom 160); domain 0–10.
        #expect(chart.plot.bottom == 160)
        let first = chart.bars[0]
        #expect(first.segments.map(\.series) == ["a", "b"])
        #expect(first.segments.map(\.height) == [74, 74])
        #expect(first.segments.map(\.y) == [86, 12])
        #expect(chart.bars[1].segments.map(\.height) == [29.6])
        #expect(chart.bars[1].segments.count == 1)
    }

    @Test func barsShareThePlotWidthInRowOrder() {
        let chart = Self.chart([[1, 1], [1, 1]])
        #expect(chart.bars.map(\.label) == ["r0", "r1"])
        // Slots of 332 / 2 = 166; bars at most 80 wide, centred in their slot.
        #expect(chart.bars.map(\.width) == [80, 80])
        #expect(chart.bars.map(\.x) == [99, 265])
        let narrow = Self.chart(Array(repeating: [1, 1], count: 10))
        #expect(narrow.bars.map(\.width) == Array(repeating: 23.2, count: 10))
    }

    @Test func aHiddenCountDrawsNothingAndMarksTheBar() {
        let chart = Self.chart([[nil, 3], [2, 2]])
        #expect(chart.bars[0].incomplete)
        #expect(chart.bars[0].segments.map(\.value) == [3])
        #expect(!chart.bars[1].incomplete)
    }
}
