import Foundation

/// A date search value with its prefix, as the half-open interval of instants it means
/// (FHIR R4 search §3.1.1.4.2 "date": a value's precision makes it a range; a date without
/// time is a day in the server's time zone, Europe/Copenhagen for ByNeed).
///
/// The targets ByNeed searches (`authored`, an Observation's effective time, a decision's
/// time) are instants, so the R4 rules reduce to: `eq` the instant lies in the range, `gt` at
/// or after its end, `ge` at or after its start, `lt` before its start, `le` before its end.
public struct DateCriterion: Sendable, Hashable {
    /// The prefixes ByNeed supports (`ne`, `sa`, `eb` and `ap` are refused).
    public enum Prefix: String, Sendable, Hashable, CaseIterable {
        case eq, gt, ge, lt, le
    }

    /// How the value compares (`eq` when none is written).
    public let prefix: Prefix
    /// The first instant the value covers.
    public let start: Date
    /// The first instant after the value (exclusive end).
    public let end: Date

    public init(prefix: Prefix, start: Date, end: Date) {
        self.prefix = prefix
        self.start = start
        self.end = end
    }

    /// The instants that match, as a half-open interval `[from, before)`; nil is unbounded.
    /// Integrators turn this into `authored >= ? AND authored < ?` on stored UTC text.
    public var bounds: (from: Date?, before: Date?) {
        switch prefix {
        case .eq: (start, end)
        case .gt: (end, nil)
        case .ge: (start, nil)
        case .lt: (nil, start)
        case .le: (nil, end)
        }
    }

    /// Whether `instant` matches.
    public func matches(_ instant: Date) -> Bool {
        let (from, before) = bounds
        return (from.map { instant >= $0 } ?? true) && (before.map { instant < $0 } ?? true)
    }

    /// Why a search value cannot be used, for the error message.
    struct InvalidValue: Error {
        let reason: String
    }

    /// The server's time zone for values without an offset.
    static let serverTimeZone = TimeZone(identifier: "Europe/Copenhagen") ?? .gmt

    /// Parses `[prefix]value`: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or `YYYY-MM-DDThh:mm[:ss[.fff]]`
    /// with `Z` or `±hh:mm` (a time needs an offset: FHIR R4 search §3.1.1.4.2). Throws the
    /// reason when the value is not usable.
    static func parse(_ text: String, timeZone: TimeZone = serverTimeZone) throws(InvalidValue) -> DateCriterion {
        var value = Substring(text)
        var prefix = Prefix.eq
        if let first = value.first, first.isLetter {
            let name = String(value.prefix(2))
            guard let known = Prefix(rawValue: name) else {
                throw InvalidValue(reason: "prefix \"\(name)\" is not supported (use eq, gt, ge, lt or le)")
            }
            prefix = known
            value = value.dropFirst(2)
        }
        guard let (start, end) = interval(String(value), timeZone: timeZone) else {
            throw InvalidValue(reason: "not a date (YYYY, YYYY-MM, YYYY-MM-DD) or a dateTime with an offset (YYYY-MM-DDThh:mm[:ss]Z or ±hh:mm)")
        }
        return DateCriterion(prefix: prefix, start: start, end: end)
    }

    private static func interval(_ text: String, timeZone: TimeZone) -> (Date, Date)? {
        let bytes = Array(text.utf8)
        func number(_ from: Int, _ length: Int) -> Int? {
            guard from + length <= bytes.count else { return nil }
            var result = 0
            for byte in bytes[from..<(from + length)] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                result = result * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return result
        }
        func at(_ index: Int, _ character: Character) -> Bool {
            index < bytes.count && bytes[index] == character.asciiValue!
        }
        guard let year = number(0, 4), year >= 1 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        func date(_ components: DateComponents) -> Date? {
            guard let result = calendar.date(from: components) else { return nil }
            let check = calendar.dateComponents([.year, .month, .day], from: result)
            return check.year == components.year && check.month == (components.month ?? 1) && check.day == (components.day ?? 1) ? result : nil
        }
        switch bytes.count {
        case 4:
            guard let start = date(DateComponents(year: year, month: 1, day: 1)),
                  let end = calendar.date(byAdding: .year, value: 1, to: start) else { return nil }
            return (start, end)
        case 7:
            guard at(4, "-"), let month = number(5, 2), (1...12).contains(month),
                  let start = date(DateComponents(year: year, month: month, day: 1)),
                  let end = calendar.date(byAdding: .month, value: 1, to: start) else { return nil }
            return (start, end)
        case 10:
            guard at(4, "-"), let month = number(5, 2), at(7, "-"), let day = number(8, 2),
                  let start = date(DateComponents(year: year, month: month, day: day)),
                  let end = calendar.date(byAdding: .day, value: 1, to: start) else { return nil }
            return (start, end)
        default:
            return dateTimeInterval(bytes, number: number, at: at, year: year)
        }
    }

    /// `YYYY-MM-DDThh:mm[:ss[.fff]](Z|±hh:mm)`: the minute, second or fraction it names.
    private static func dateTimeInterval(_ bytes: [UInt8], number: (Int, Int) -> Int?, at: (Int, Character) -> Bool,
                                         year: Int) -> (Date, Date)? {
        guard bytes.count > 16, at(4, "-"), let month = number(5, 2), at(7, "-"), let day = number(8, 2), at(10, "T"),
              let hour = number(11, 2), at(13, ":"), let minute = number(14, 2), hour < 24, minute < 60 else { return nil }
        var index = 16
        var second = 0
        var fraction = 0.0
        var width = 60.0
        if at(index, ":") {
            guard let value = number(17, 2), value < 60 else { return nil }
            second = value
            width = 1
            index = 19
            if at(index, ".") {
                var digits = 0
                index += 1
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                    fraction += Double(bytes[index] - UInt8(ascii: "0")) * pow(10, -Double(digits + 1))
                    digits += 1
                    index += 1
                }
                guard digits > 0 else { return nil }
                width = pow(10, -Double(digits))
            }
        }
        let zone = Array(bytes[index...])
        var offset = 0
        if zone != Array("Z".utf8) {
            guard zone.count == 6, zone[0] == UInt8(ascii: "+") || zone[0] == UInt8(ascii: "-"), zone[3] == UInt8(ascii: ":"),
                  let zoneHour = number(index + 1, 2), let zoneMinute = number(index + 4, 2), zoneHour <= 14, zoneMinute < 60 else { return nil }
            offset = (zoneHour * 60 + zoneMinute) * 60 * (zone[0] == UInt8(ascii: "-") ? -1 : 1)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: offset) ?? .gmt
        guard let base = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)),
              calendar.component(.day, from: base) == day else { return nil }
        let start = base.addingTimeInterval(fraction)
        return (start, start.addingTimeInterval(width))
    }
}
