import Foundation

/// A FHIRPath Date, DateTime or Time value with the precision it was written with.
///
/// FHIRPath N1 §"Date/Time": a partial value such as `@2026-01` has month precision, and
/// comparing values of different precision can be unknown (empty), so the components are
/// kept as written instead of being turned into a `Date`.
public struct FHIRPathTemporal: Sendable, Hashable {
    /// Which of the three temporal types this is.
    public enum Kind: Sendable, Hashable {
        case date, dateTime, time
    }

    /// The finest component present; seconds and fractions of a second count as one precision
    /// (N1 §6.1 "Comparison": "seconds and milliseconds are considered a single precision").
    public enum Precision: Int, Sendable, Hashable, Comparable {
        case year, month, day, hour, minute, second

        public static func < (lhs: Precision, rhs: Precision) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Date, DateTime or Time.
    public let kind: Kind
    /// Calendar components; `nil` past the precision (and the date part of a time).
    public let year: Int?
    public let month: Int?
    public let day: Int?
    public let hour: Int?
    public let minute: Int?
    public let second: Int?
    /// The digits after the decimal point of the seconds, as written (`"500"` for `.500`).
    public let fraction: String?
    /// Offset from UTC in minutes, when the value carries a time zone.
    public let timeZoneOffset: Int?

    /// Builds a value from components; the caller keeps them consistent with `kind`.
    public init(kind: Kind, year: Int? = nil, month: Int? = nil, day: Int? = nil, hour: Int? = nil,
                minute: Int? = nil, second: Int? = nil, fraction: String? = nil, timeZoneOffset: Int? = nil) {
        self.kind = kind
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.fraction = fraction
        self.timeZoneOffset = timeZoneOffset
    }

    /// The finest component present.
    public var precision: Precision {
        if second != nil { return .second }
        if minute != nil { return .minute }
        if hour != nil { return .hour }
        if day != nil { return .day }
        if month != nil { return .month }
        return .year
    }
}

// MARK: - Parsing

extension FHIRPathTemporal {
    /// Parses the text of a FHIRPath literal after `@` (`2026-01-02`, `2026-01-02T10:00+01:00`,
    /// `T10:00`) or a FHIR R4 date/dateTime/time/instant string; `nil` when it is neither.
    public static func parse(_ text: String, as expected: Kind? = nil) -> FHIRPathTemporal? {
        var scanner = DigitScanner(Array(text.utf8))
        if scanner.take(UInt8(ascii: "T")) {
            guard expected == nil || expected == .time, let value = scanner.time(kind: .time, date: nil), scanner.atEnd,
                  value.timeZoneOffset == nil else { return nil }
            return value
        }
        guard let year = scanner.number(digits: 4) else {
            guard expected == .time, let value = scanner.time(kind: .time, date: nil), scanner.atEnd else { return nil }
            return value
        }
        var month: Int?
        var day: Int?
        if scanner.take(UInt8(ascii: "-")) {
            guard let parsed = scanner.number(digits: 2), (1...12).contains(parsed) else { return nil }
            month = parsed
            if scanner.take(UInt8(ascii: "-")) {
                guard let parsed = scanner.number(digits: 2), (1...31).contains(parsed) else { return nil }
                day = parsed
            }
        }
        let date = FHIRPathTemporal(kind: .date, year: year, month: month, day: day)
        if scanner.atEnd {
            return expected == .dateTime ? date.with(kind: .dateTime) : (expected == nil || expected == .date ? date : nil)
        }
        guard expected != .date, expected != .time, scanner.take(UInt8(ascii: "T")) else { return nil }
        if scanner.atEnd { return date.with(kind: .dateTime) }
        guard day != nil, let value = scanner.time(kind: .dateTime, date: date), scanner.atEnd else { return nil }
        return value
    }

    private func with(kind: Kind) -> FHIRPathTemporal {
        FHIRPathTemporal(kind: kind, year: year, month: month, day: day, hour: hour, minute: minute,
                         second: second, fraction: fraction, timeZoneOffset: timeZoneOffset)
    }
}

/// A cursor over ASCII bytes for the fixed-width temporal formats.
private struct DigitScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func number(digits: Int) -> Int? {
        guard index + digits <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<index + digits] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        index += digits
        return value
    }

    mutating func time(kind: FHIRPathTemporal.Kind, date: FHIRPathTemporal?) -> FHIRPathTemporal? {
        guard let hour = number(digits: 2), hour < 24 else { return nil }
        var minute: Int?
        var second: Int?
        var fraction: String?
        if take(UInt8(ascii: ":")) {
            guard let parsed = number(digits: 2), parsed < 60 else { return nil }
            minute = parsed
            if take(UInt8(ascii: ":")) {
                guard let parsed = number(digits: 2), parsed < 60 else { return nil }
                second = parsed
                if take(UInt8(ascii: ".")) {
                    let start = index
                    while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
                    guard index > start else { return nil }
                    fraction = String(decoding: bytes[start..<index], as: UTF8.self)
                }
            }
        }
        var offset: Int?
        if take(UInt8(ascii: "Z")) {
            offset = 0
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let hours = number(digits: 2), take(UInt8(ascii: ":")), let minutes = number(digits: 2),
                  hours <= 14, minutes < 60 else { return nil }
            offset = sign * (hours * 60 + minutes)
        }
        guard kind == .dateTime || offset == nil else { return nil }
        return FHIRPathTemporal(kind: kind, year: date?.year, month: date?.month, day: date?.day, hour: hour,
                                minute: minute, second: second, fraction: fraction, timeZoneOffset: offset)
    }
}

// MARK: - Text

extension FHIRPathTemporal: CustomStringConvertible {
    /// The ISO 8601 text FHIR uses, to the value's precision (without the FHIRPath `@`).
    public var description: String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var text = ""
        if let year {
            text = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
            if let month { text += "-" + two(month) }
            if let day { text += "-" + two(day) }
        }
        guard let hour else { return kind == .dateTime ? text + "T" : text }
        text += (kind == .time ? "" : "T") + two(hour)
        if let minute { text += ":" + two(minute) }
        if let second { text += ":" + two(second) }
        if let fraction { text += "." + fraction }
        if let offset = timeZoneOffset {
            if offset == 0 {
                text += "Z"
            } else {
                text += (offset < 0 ? "-" : "+") + two(abs(offset) / 60) + ":" + two(abs(offset) % 60)
            }
        }
        return text
    }
}

// MARK: - Comparison and arithmetic

extension FHIRPathTemporal {
    /// Compares two values of the same kind; `nil` when the answer is unknown because the
    /// precisions differ and the common components are equal (N1 §6.2 "Comparison").
    /// Values with a time component are compared in UTC; one without a zone takes `defaultOffset`.
    func compare(to other: FHIRPathTemporal, defaultOffset: Int) -> ComparisonResult? {
        let left = normalized(defaultOffset: defaultOffset, other: other)
        let right = other.normalized(defaultOffset: defaultOffset, other: self)
        let common = min(precision, other.precision)
        for index in 0...common.rawValue {
            let a = left[index], b = right[index]
            if a < b { return .orderedAscending }
            if a > b { return .orderedDescending }
        }
        return precision == other.precision ? .orderedSame : nil
    }

    /// Components as decimals (year, month, day, hour, minute, seconds with fraction), shifted to
    /// UTC when both sides carry a time of day and a zone can be chosen.
    private func normalized(defaultOffset: Int, other: FHIRPathTemporal) -> [Decimal] {
        var seconds = Decimal(second ?? 0)
        if let fraction, let value = Decimal(string: "0." + fraction, locale: Locale(identifier: "en_US_POSIX")) {
            seconds += value
        }
        guard kind == .dateTime, let year, let month, let day, let hour,
              timeZoneOffset != nil || other.timeZoneOffset != nil else {
            return [Decimal(year ?? 0), Decimal(month ?? 0), Decimal(day ?? 0), Decimal(hour ?? 0),
                    Decimal(minute ?? 0), seconds]
        }
        let totalMinutes = (CivilCalendar.days(year: year, month: month, day: day) * 24 + hour) * 60
            + (minute ?? 0) - (timeZoneOffset ?? defaultOffset)
        let days = totalMinutes.floorDivided(by: 1440)
        let minuteOfDay = totalMinutes - days * 1440
        let civil = CivilCalendar.civil(days: days)
        return [Decimal(civil.year), Decimal(civil.month), Decimal(civil.day), Decimal(minuteOfDay / 60),
                Decimal(minuteOfDay % 60), seconds]
    }

    /// The largest number of calendar units added at once: ten thousand years in seconds,
    /// beyond any valid date, so the arithmetic below cannot overflow.
    static let maxCalendarAmount = Decimal(400_000_000_000)

    /// Adds a whole number of calendar units (N1 §6.6.1 "Date/Time arithmetic"); a unit finer
    /// than the value's precision is refused, as is a unit that a time does not have.
    func adding(_ amount: Int, unit: CalendarUnit) -> FHIRPathTemporal? {
        switch unit {
        case .year, .month:
            guard let year else { return nil }
            let months = year * 12 + (month ?? 1) - 1 + (unit == .year ? amount * 12 : amount)
            let newYear = months.floorDivided(by: 12)
            let newMonth = months - newYear * 12 + 1
            let newDay = day.map { min($0, CivilCalendar.daysIn(year: newYear, month: newMonth)) }
            guard (1...9999).contains(newYear) else { return nil }
            return FHIRPathTemporal(kind: kind, year: newYear, month: month == nil ? nil : newMonth, day: newDay,
                                    hour: hour, minute: minute, second: second, fraction: fraction,
                                    timeZoneOffset: timeZoneOffset)
        case .week, .day:
            return addingSeconds(amount * (unit == .week ? 7 : 1) * 86_400, finest: .day)
        case .hour:
            return addingSeconds(amount * 3600, finest: .hour)
        case .minute:
            return addingSeconds(amount * 60, finest: .minute)
        case .second:
            return addingSeconds(amount, finest: .second)
        }
    }

    private func addingSeconds(_ amount: Int, finest: Precision) -> FHIRPathTemporal? {
        guard precision >= finest else { return nil }
        if kind == .time {
            guard finest != .day else { return nil }
            let total = ((hour ?? 0) * 3600 + (minute ?? 0) * 60 + (second ?? 0) + amount).floorModulo(86_400)
            return FHIRPathTemporal(kind: .time, hour: total / 3600, minute: minute.map { _ in total % 3600 / 60 },
                                    second: second.map { _ in total % 60 }, fraction: fraction)
        }
        guard let year, let month, let day else { return nil }
        let total = (CivilCalendar.days(year: year, month: month, day: day) * 86_400)
            + (hour ?? 0) * 3600 + (minute ?? 0) * 60 + (second ?? 0) + amount
        let days = total.floorDivided(by: 86_400)
        let rest = total - days * 86_400
        let civil = CivilCalendar.civil(days: days)
        guard (1...9999).contains(civil.year) else { return nil }
        return FHIRPathTemporal(kind: kind, year: civil.year, month: civil.month, day: civil.day,
                                hour: hour.map { _ in rest / 3600 }, minute: minute.map { _ in rest % 3600 / 60 },
                                second: second.map { _ in rest % 60 }, fraction: fraction, timeZoneOffset: timeZoneOffset)
    }

    /// The current date or date-time in `timeZone` (for `today()` and `now()`).
    static func current(_ date: Date, timeZone: TimeZone, kind: Kind) -> FHIRPathTemporal {
        let offset = timeZone.secondsFromGMT(for: date) / 60
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let localMilliseconds = milliseconds + offset * 60_000
        let days = localMilliseconds.floorDivided(by: 86_400_000)
        let rest = localMilliseconds - days * 86_400_000
        let civil = CivilCalendar.civil(days: days)
        let millisecondText = String(rest % 1000)
        switch kind {
        case .date:
            return FHIRPathTemporal(kind: .date, year: civil.year, month: civil.month, day: civil.day)
        case .dateTime, .time:
            return FHIRPathTemporal(kind: kind, year: kind == .time ? nil : civil.year, month: kind == .time ? nil : civil.month,
                                    day: kind == .time ? nil : civil.day, hour: rest / 3_600_000,
                                    minute: rest / 60_000 % 60, second: rest / 1000 % 60,
                                    fraction: String(repeating: "0", count: 3 - millisecondText.count) + millisecondText,
                                    timeZoneOffset: kind == .time ? nil : offset)
        }
    }
}

/// The calendar duration units of FHIRPath quantities (N1 §"Time-valued quantities").
enum CalendarUnit: Sendable {
    case year, month, week, day, hour, minute, second

    /// The unit for a calendar keyword (`days`) or its UCUM code (`'d'`); years and months only
    /// as keywords, because UCUM `a` and `mo` are not calendar units (N1 §"Time-valued quantities").
    init?(unit: String) {
        switch unit {
        case "year", "years": self = .year
        case "month", "months": self = .month
        case "week", "weeks", "wk": self = .week
        case "day", "days", "d": self = .day
        case "hour", "hours", "h": self = .hour
        case "minute", "minutes", "min": self = .minute
        case "second", "seconds", "s": self = .second
        default: return nil
        }
    }

    /// Also the UCUM year `a` and month `mo`, which are equivalent (`~`) but not equal to the
    /// calendar keywords (N1 §6.1.3 "Quantity Equivalence": `1 year ~ 1 'a'` is true).
    init?(definiteUnit unit: String) {
        switch unit {
        case "a": self = .year
        case "mo": self = .month
        default: self.init(unit: unit)
        }
    }
}

/// Proleptic Gregorian day numbers (days since 1970-01-01), after the civil-from-days
/// derivation in "chrono-Compatible Low-Level Date Algorithms" (H. Hinnant).
enum CivilCalendar {
    static func days(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = shiftedYear.floorDivided(by: 400)
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = shifted.floorDivided(by: 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysIn(year: Int, month: Int) -> Int {
        let next = month == 12 ? days(year: year + 1, month: 1, day: 1) : days(year: year, month: month + 1, day: 1)
        return next - days(year: year, month: month, day: 1)
    }
}

extension Int {
    /// Division rounding towards negative infinity.
    func floorDivided(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    /// The remainder that takes the divisor's sign.
    func floorModulo(_ divisor: Int) -> Int {
        self - floorDivided(by: divisor) * divisor
    }
}
