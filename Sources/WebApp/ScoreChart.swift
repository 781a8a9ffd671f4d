import Foundation

/// The geometry of a line chart of values over time, for an inline SVG drawn by a template.
///
/// Pure: values in, coordinates and labels out, so the layout is tested with tables and the
/// same type can draw population charts later. The template (`staff/chart`) only places what
/// this computes; text goes through the escaping renderer like every other page text. Bands
/// (a score's ranges, `ScoreBand`) are shaded behind the line; every point gets a diamond
/// marker so values never depend on colour alone, and the page adds the data as a table.
struct ScoreChart: Sendable, Hashable {
    /// One value at one time.
    struct Point: Sendable, Hashable {
        var date: Date
        var value: Decimal
    }

    /// A shaded range of the value axis; an open end extends to the edge of the chart.
    struct Band: Sendable, Hashable {
        var low: Decimal?
        var high: Decimal?
        var label: String
    }

    /// A label at a position along one axis.
    struct Tick: Sendable, Hashable {
        var position: Double
        var label: String
    }

    /// A band's rectangle (full plot width) and label.
    struct BandArea: Sendable, Hashable {
        var y: Double
        var height: Double
        var label: String
    }

    /// A point's marker centre.
    struct Marker: Sendable, Hashable {
        var x: Double
        var y: Double
    }

    /// The drawing area inside the margins.
    struct Plot: Sendable, Hashable {
        var x: Double
        var y: Double
        var width: Double
        var height: Double
        var bottom: Double { y + height }
        var right: Double { x + width }
    }

    let width: Double
    let height: Double
    let plot: Plot
    let yTicks: [Tick]
    let xTicks: [Tick]
    let bands: [BandArea]
    /// Marker centres, in the order of the points.
    let markers: [Marker]
    /// The lowest and highest value the value axis shows.
    let domainLow: Decimal
    let domainHigh: Decimal

    /// Lays out `points` (sorted by date here) with `bands`; `dateLabel` writes an x-axis label
    /// and `valueLabel` a y-axis label.
    init(points: [Point], bands: [Band], width: Double = 760, height: Double = 260,
         dateLabel: (Date) -> String, valueLabel: (Decimal) -> String) {
        let points = points.sorted { $0.date < $1.date }
        self.width = width
        self.height = height
        let plot = Plot(x: Self.leftMargin, y: 12, width: width - Self.leftMargin - Self.rightMargin, height: height - 12 - 40)
        self.plot = plot
        let values = points.map(\.value)
        let finiteEnds = bands.flatMap { [$0.low, $0.high].compactMap { $0 } }
        var low = (values + finiteEnds).min() ?? 0
        var high = (values + finiteEnds).max() ?? 1
        if low == high { low -= 1; high += 1 }
        let step = Self.niceStep((high - low) / 4)
        low = Self.floor(low, to: step)
        high = Self.ceil(high, to: step)
        domainLow = low
        domainHigh = high
        let span = NSDecimalNumber(decimal: high - low).doubleValue
        func y(_ value: Decimal) -> Double {
            Self.rounded(plot.bottom - NSDecimalNumber(decimal: value - low).doubleValue / span * plot.height)
        }
        var ticks: [Tick] = []
        var tick = low
        while tick <= high {
            ticks.append(Tick(position: y(tick), label: valueLabel(tick)))
            tick += step
        }
        yTicks = ticks
        self.bands = bands.map { band in
            let top = y(min(band.high ?? high, high))
            let bottom = y(max(band.low ?? low, low))
            return BandArea(y: top, height: Self.rounded(max(bottom - top, 0)), label: band.label)
        }
        let first = points.first?.date.timeIntervalSince1970 ?? 0
        let last = points.last?.date.timeIntervalSince1970 ?? 0
        func x(_ date: Date) -> Double {
            last == first ? Self.rounded(plot.x + plot.width / 2)
                : Self.rounded(plot.x + (date.timeIntervalSince1970 - first) / (last - first) * plot.width)
        }
        markers = points.map { Marker(x: x($0.date), y: y($0.value)) }
        let every = max(1, Int((Double(points.count) / 6).rounded(.up)))
        xTicks = points.enumerated().filter { $0.offset % every == 0 || $0.offset == points.count - 1 }
            .map { Tick(position: x($0.element.date), label: dateLabel($0.element.date)) }
    }

    /// The polyline through the markers as SVG path data, `M56 200 L120 180`.
    var linePath: String {
        markers.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(Self.text($0.element.x)) \(Self.text($0.element.y))" }
            .joined(separator: " ")
    }

    /// A diamond around a marker centre (7 units from centre to corner).
    static func diamond(x: Double, y: Double) -> String {
        "M\(text(x)) \(text(y - 7)) L\(text(x + 7)) \(text(y)) L\(text(x)) \(text(y + 7)) L\(text(x - 7)) \(text(y)) Z"
    }

    /// A coordinate as SVG text: at most one decimal, no trailing `.0`.
    static func text(_ value: Double) -> String {
        let rounded = rounded(value)
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// Room for the value labels left of the plot.
    static let leftMargin: Double = 56
    /// Room for the band names right of the plot.
    static let rightMargin: Double = 220

    // MARK: Scale

    /// The smallest step of 1, 2 or 5 times a power of ten that is at least `raw`, so ticks
    /// fall on round numbers.
    static func niceStep(_ raw: Decimal) -> Decimal {
        guard raw > 0 else { return 1 }
        var power: Decimal = 1
        while power * 10 <= raw { power *= 10 }
        while power > raw { power /= 10 }
        for factor in [1, 2, 5] as [Decimal] where power * factor >= raw { return power * factor }
        return power * 10
    }

    private static func floor(_ value: Decimal, to step: Decimal) -> Decimal {
        var quotient = value / step
        var result = Decimal()
        NSDecimalRound(&result, &quotient, 0, .down)
        return result * step
    }

    private static func ceil(_ value: Decimal, to step: Decimal) -> Decimal {
        var quotient = value / step
        var result = Decimal()
        NSDecimalRound(&result, &quotient, 0, .up)
        return result * step
    }

    private static func rounded(_ value: Double) -> Double {
        (value * 10).rounded() / 10
    }
}
