import Foundation

/// The geometry of a stacked bar chart of counts, for an inline SVG drawn by a template.
///
/// Pure, like `ScoreChart`: counts in, rectangles and ticks out, tested with tables. One bar
/// per row, one segment per series, stacked from the axis up. A suppressed count (nil) draws
/// nothing and marks the bar as incomplete, so the picture never shows a hidden number; the
/// page puts the same numbers in a table next to the chart.
struct PopulationBarChart: Sendable, Hashable {
    /// One series' part of a bar.
    struct Segment: Sendable, Hashable {
        var series: String
        var y: Double
        var height: Double
        var value: Int
    }

    /// One bar: its left edge, width, label and segments (bottom first).
    struct Bar: Sendable, Hashable {
        var label: String
        var x: Double
        var width: Double
        var segments: [Segment]
        /// Whether a count of this bar is suppressed and left out.
        var incomplete: Bool
    }

    let width: Double
    let height: Double
    let plot: ScoreChart.Plot
    let bars: [Bar]
    let yTicks: [ScoreChart.Tick]
    /// The highest value the axis shows.
    let domainHigh: Int

    /// Lays out one bar per `(label, counts)` row; `counts` are in `series` order.
    init(rows: [(label: String, counts: [Int?])], series: [String], width: Double = 760, height: Double = 240) {
        self.width = width
        self.height = height
        let plot = ScoreChart.Plot(x: ScoreChart.leftMargin, y: 12, width: width - ScoreChart.leftMargin - 12, height: height - 12 - 40)
        self.plot = plot
        let highest = rows.map { $0.counts.compactMap { $0 }.reduce(0, +) }.max() ?? 0
        let step = max(1, NSDecimalNumber(decimal: ScoreChart.niceStep(Decimal(max(highest, 1)) / 4)).intValue)
        let top = max(step, (highest + step - 1) / step * step)
        domainHigh = top
        func y(_ value: Int) -> Double { Self.rounded(plot.bottom - Double(value) / Double(top) * plot.height) }
        yTicks = stride(from: 0, through: top, by: step).map { ScoreChart.Tick(position: y($0), label: String($0)) }
        let slot = rows.isEmpty ? plot.width : plot.width / Double(rows.count)
        let barWidth = Self.rounded(min(slot * 0.7, Self.maximumBarWidth))
        bars = rows.enumerated().map { index, row in
            var base = 0
            var segments: [Segment] = []
            for (series, count) in zip(series, row.counts) {
                guard let count, count > 0 else { continue }
                segments.append(Segment(series: series, y: y(base + count), height: Self.rounded(y(base) - y(base + count)), value: count))
                base += count
            }
            return Bar(label: row.label, x: Self.rounded(plot.x + slot * Double(index) + (slot - barWidth) / 2), width: barWidth,
                       segments: segments, incomplete: row.counts.contains { $0 == nil })
        }
    }

    /// The widest a bar gets (one or two bars should not fill the chart).
    static let maximumBarWidth: Double = 80

    private static func rounded(_ value: Double) -> Double {
        (value * 10).rounded() / 10
    }
}
