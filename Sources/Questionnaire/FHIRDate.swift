import Foundation

/// Checks and converts FHIR R4 `date` and `dateTime` strings (FHIR R4 §2.24.0.1 primitive types).
///
/// Kept as text elsewhere so partial dates (`2024-05`) and offsets survive unchanged; this type
/// only validates, orders and converts.
enum FHIRDate {
    /// Why a local date-time from an HTML `datetime-local` input could not be converted.
    enum LocalTimeProblem: Error, Equatable {
        case malformed
        /// The wall-clock time does not exist in the time zone (skipped by a DST change).
        case nonexistent
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with a real month and day.
    static func isValidDate(_ text: String) -> Bool {
        dateComponents(Array(text.utf8)) != nil
    }

    /// A FHIR dateTime: a date as above, or a full date with `Thh:mm:ss[.fff]` and `Z` or `±hh:mm`.
    static func isValidDateTime(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let tIndex = bytes.firstIndex(of: UInt8(ascii: "T")) else { return dateComponents(bytes) != nil }
        guard tIndex == 10, dateComponents(Array(bytes[..<tIndex])) != nil else { return false }
        return timeWithOffset(Array(bytes[(tIndex + 1)...])) != nil
    }

    /// The instant of a full dateTime with time and offset; `nil` for dates and partial values.
    static func instant(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count > 10, bytes[10] == UInt8(ascii: "T"),
              let date = dateComponents(Array(bytes[..<10])), let day = date.day,
              let time = timeWithOffset(Array(bytes[11...])) else { return nil }
        let days = daysFromCivil(year: date.year, month: date.month ?? 1, day: day)
        let seconds = Double(days * 86_400 + time.hour * 3_600 + time.minute * 60) + time.second - Double(time.offsetSeconds)
        return Date(timeIntervalSince1970: seconds)
    }

    /// Converts `yyyy-MM-ddTHH:mm[:ss]` as typed into an HTML `datetime-local` input (HTML
    /// Living Standard §2.3.5.5) into a FHIR dateTime with the offset that `timeZone` had at
    /// that wall-clock time. When the time occurs twice (end of summer time), the first
    /// occurrence is chosen; a time skipped by the start of summer time is `.nonexistent`.
    static func fromLocal(_ text: String, timeZone: TimeZone) -> Result<String, LocalTimeProblem> {
        let bytes = Array(text.utf8)
        guard bytes.count == 16 || bytes.count == 19, bytes[10] == UInt8(ascii: "T"),
              let date = dateComponents(Array(bytes[..<10])), let month = date.month, let day = date.day,
              let hour = number(bytes, 11, 2), bytes[13] == UInt8(ascii: ":"), let minute = number(bytes, 14, 2),
              hour < 24, minute < 60 else { return .failure(.malformed) }
        var second = 0
        if bytes.count == 19 {
            guard bytes[16] == UInt8(ascii: ":"), let value = number(bytes, 17, 2), value < 60 else { return .failure(.malformed) }
            second = value
        }
        let wallClock = daysFromCivil(year: date.year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second
        let probes = [-86_400, 0, 86_400].map { Date(timeIntervalSince1970: Double(wallClock + $0)) }
        let candidates = Set(probes.map { timeZone.secondsFromGMT(for: $0) })
        let valid = candidates.filter { offset in
            timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wallClock - offset))) == offset
        }
        guard let offset = valid.max() else { return .failure(.nonexistent) }
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset) / 60
        let zone = "\(sign)\(pad(magnitude / 60)):\(pad(magnitude % 60))"
        return .success("\(text.prefix(10))T\(pad(hour)):\(pad(minute)):\(pad(second))\(zone)")
    }

    // MARK: Pieces

    private static func dateComponents(_ bytes: [UInt8]) -> (year: Int, month: Int?, day: Int?)? {
        guard bytes.count == 4 || bytes.count == 7 || bytes.count == 10, let year = number(bytes, 0, 4) else { return nil }
        guard bytes.count > 4 else { return (year, nil, nil) }
        guard bytes[4] == UInt8(ascii: "-"), let month = number(bytes, 5, 2), (1...12).contains(month) else { return nil }
        guard bytes.count > 7 else { return (year, month, nil) }
        guard bytes[7] == UInt8(ascii: "-"), let day = number(bytes, 8, 2),
              (1...daysInMonth(year: year, month: month)).contains(day) else { return nil }
        return (year, month, day)
    }

    private static func timeWithOffset(_ bytes: [UInt8]) -> (hour: Int, minute: Int, second: Double, offsetSeconds: Int)? {
        guard bytes.count >= 9, let hour = number(bytes, 0, 2), bytes[2] == UInt8(ascii: ":"),
              let minute = number(bytes, 3, 2), bytes[5] == UInt8(ascii: ":"), let wholeSecond = number(bytes, 6, 2),
              hour < 24, minute < 60, wholeSecond < 60 else { return nil }
        var index = 8
        var second = Double(wholeSecond)
        if bytes[index] == UInt8(ascii: ".") {
            let start = index
            index += 1
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > start + 1, let fraction = Double("0" + String(decoding: bytes[start..<index], as: UTF8.self)) else { return nil }
            second += fraction
        }
        let zone = Array(bytes[index...])
        if zone == Array("Z".utf8) { return (hour, minute, second, 0) }
        guard zone.count == 6, zone[0] == UInt8(ascii: "+") || zone[0] == UInt8(ascii: "-"),
              let zoneHour = number(zone, 1, 2), zone[3] == UInt8(ascii: ":"), let zoneMinute = number(zone, 4, 2),
              zoneHour <= 14, zoneMinute < 60 else { return nil }
        let offset = (zoneHour * 60 + zoneMinute) * 60
        return (hour, minute, second, zone[0] == UInt8(ascii: "-") ? -offset : offset)
    }

    private static func number(_ bytes: [UInt8], _ start: Int, _ length: Int) -> Int? {
        guard start + length <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[start..<(start + length)] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant, "chrono-compatible
    /// low-level date algorithms", days_from_civil).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func pad(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
