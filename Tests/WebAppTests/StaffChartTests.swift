import Foundation
import Testing
@testable import WebApp

@Suite struct StaffChartTests {
    static func day(_ number: Int) -> Date { Date(timeIntervalSince1970: TimeInterval(number * 86_400)) }

    static func chart(_ values: [(Int, Decimal)], bands: [ScoreChart.Band] = []) -> ScoreChart {
        ScoreChart(points: values.map { ScoreChart.Point(date: day($0.0), value: $0.1) }, bands: bands,
                   dateLabel: { "d\(Int($0.timeIntervalSince1970 / 86_400))" }, valueLabel: { "\($0)" })
    }

    @Test(arguments: [(Decimal(0.3), Decimal(0.5)), (1, 1), (1.5, 2), (3, 5), (6, 10), (12, 20), (27, 50), (100, 100), (0, 1)])
    func stepsAreOneTwoOrFiveTimesAPowerOfTen(raw: Decimal, step: Decimal) {
        #expect(ScoreChart.niceStep(raw) == step)
    }

    /// Values and bands, and the value axis they should get.
    struct AxisCase: Sendable {
        var values: [Decimal]
        var bands: [ScoreChart.Band] = []
        var low: Decimal
        var high: Decimal
    }

    static let axisCases: [AxisCase] = [
        AxisCase(values: [2, 4], low: 2, high: 4),
        AxisCase(values: [1, 3], bands: [ScoreChart.Band(low: 0, high: 1, label: "a"), ScoreChart.Band(low: 2, high: 4, label: "b")],
                 low: 0, high: 4),
        AxisCase(values: [5], low: 4, high: 6),
        AxisCase(values: [7, 23], low: 5, high: 25),
    ]

    @Test(arguments: axisCases)
    func theValueAxisCoversValuesAndBandsOnRoundNumbers(_ axis: AxisCase) {
        let chart = Self.chart(axis.values.enumerated().map { ($0.offset, $0.element) }, bands: axis.bands)
        #expect(chart.domainLow == axis.low)
        #expect(chart.domainHigh == axis.high)
        #expect(chart.yTicks.first?.position == chart.plot.bottom)
        #expect(chart.yTicks.last?.position == chart.plot.y)
        #expect(chart.yTicks.first?.label == "\(axis.low)")
    }

    @Test func pointsSpanThePlotInTimeOrderWithHigherValuesHigherUp() {
        let chart = Self.chart([(10, 4), (0, 0), (5, 2)])
        #expect(chart.markers.map(\.x) == [chart.plot.x, chart.plot.x + chart.plot.width / 2, chart.plot.right])
        #expect(chart.markers.map(\.y) == [chart.plot.bottom, chart.plot.y + chart.plot.height / 2, chart.plot.y])
        #expect(chart.xTicks.map(\.label) == ["d0", "d5", "d10"])
        #expect(chart.linePath == "M56 220 L298 116 L540 12")
    }

    @Test func aSinglePointSitsInTheMiddle() {
        let chart = Self.chart([(3, 5)])
        #expect(chart.markers.count == 1)
        #expect(chart.markers[0].x == chart.plot.x + chart.plot.width / 2)
        #expect(chart.markers[0].y == chart.plot.y + chart.plot.height / 2)
    }

    @Test func openBandsReachTheEdgeOfThePlot() {
        let chart = Self.chart([(0, 1), (1, 3)], bands: [ScoreChart.Band(low: nil, high: 1, label: "lav"),
                                                          ScoreChart.Band(low: 2, high: nil, label: "høj")])
        #expect(chart.bands[0].y + chart.bands[0].height == chart.plot.bottom)
        #expect(chart.bands[1].y == chart.plot.y)
        #expect(chart.bands.map(\.label) == ["lav", "høj"])
    }

    @Test func manyDatesGetEveryNthLabelAndAlwaysTheLast() {
        let chart = Self.chart((0..<13).map { ($0, Decimal($0)) })
        #expect(chart.xTicks.map(\.label) == ["d0", "d3", "d6", "d9", "d12"])
    }

    @Test(arguments: [(56.0, "56"), (56.25, "56.3"), (10.04, "10"), (0.5, "0.5")])
    func coordinatesAreWrittenWithAtMostOneDecimal(value: Double, text: String) {
        #expect(ScoreChart.text(value) == text)
    }

    @Test func markersAreDiamondsNotColourAlone() {
        #expect(ScoreChart.diamond(x: 10, y: 20) == "M10 13 L17 20 L10 27 L3 20 Z")
    }
}
