import Foundation

/// A page in the Prometheus text exposition format, version 0.0.4
/// (https://prometheus.io/docs/instrumenting/exposition_formats/).
///
/// Each metric family is written once, as `# HELP`, `# TYPE` and then all its samples, so the
/// families never interleave. Label values escape backslash, double quote and line feed; help
/// texts escape backslash and line feed. A histogram is its cumulative `_bucket{le="…"}`
/// samples ending with `le="+Inf"`, then `_sum` and `_count`.
struct MetricsExposition {
    /// The media type of the page.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// What a family is, as its `# TYPE` line says.
    enum Kind: String {
        case counter, gauge, histogram
    }

    /// Labels as name and value pairs, in the order written.
    typealias Labels = [(name: String, value: String)]

    /// A histogram's numbers, already as exposition text where they are not counts.
    struct HistogramSeries {
        var labels: Labels
        /// The inclusive upper bounds, as written in `le` (without `+Inf`).
        var upperBounds: [String]
        /// The cumulative count at each bound and then at `+Inf`.
        var cumulativeCounts: [Int]
        var sum: String
    }

    /// The page so far.
    private(set) var text = ""

    /// A counter or gauge family with its samples.
    mutating func family(_ name: String, _ kind: Kind, help: String, samples: [(labels: Labels, value: String)]) {
        header(name, kind, help: help)
        for sample in samples { line(name, sample.labels, sample.value) }
    }

    /// A family with one unlabelled sample.
    mutating func single(_ name: String, _ kind: Kind, help: String, value: String) {
        family(name, kind, help: help, samples: [([], value)])
    }

    /// A histogram family with its series.
    mutating func histogram(_ name: String, help: String, series: [HistogramSeries]) {
        header(name, .histogram, help: help)
        for entry in series {
            let bounds = entry.upperBounds + ["+Inf"]
            for (bound, count) in zip(bounds, entry.cumulativeCounts) {
                line(name + "_bucket", entry.labels + [("le", bound)], String(count))
            }
            line(name + "_sum", entry.labels, entry.sum)
            line(name + "_count", entry.labels, String(entry.cumulativeCounts.last ?? 0))
        }
    }

    // MARK: Numbers

    /// Microseconds as decimal seconds, exactly (`2500` → `0.0025`, `1000000` → `1`).
    static func seconds(microseconds: Int) -> String {
        let sign = microseconds < 0 ? "-" : ""
        let magnitude = microseconds.magnitude
        let whole = magnitude / 1_000_000
        let fraction = magnitude % 1_000_000
        guard fraction != 0 else { return sign + String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 6 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(sign)\(whole).\(digits)"
    }

    /// A label value with `\`, `"` and line feed escaped.
    static func escapeLabelValue(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    // MARK: Lines

    private mutating func header(_ name: String, _ kind: Kind, help: String) {
        let escapedHelp = help.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
        text += "# HELP \(name) \(escapedHelp)\n# TYPE \(name) \(kind.rawValue)\n"
    }

    private mutating func line(_ name: String, _ labels: Labels, _ value: String) {
        text += name
        if !labels.isEmpty {
            text += "{" + labels.map { "\($0.name)=\"\(Self.escapeLabelValue($0.value))\"" }.joined(separator: ",") + "}"
        }
        text += " \(value)\n"
    }
}
