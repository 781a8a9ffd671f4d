import Foundation
import Testing
@testable import FollowUp

@Suite struct CalendarDayTests {
    typealias F = Fixtures

    @Test(arguments: [
        ("1970-01-01", 0, 4),
        ("1969-12-31", -1, 3),
        ("2000-02-29", 11_016, 2),
        ("2024-03-31", 19_813, 7),
        ("2026-01-05", 20_458, 1),
        ("1858-01-01", -40_907, 5),
    ])
    func dayNumbersAndWeekdaysRoundTrip(iso: String, dayNumber: Int, weekday: Int) throws {
        let day = try #require(CalendarDay(iso: iso))
        #expect(day.dayNumber == dayNumber)
        #expect(CalendarDay(dayNumber: dayNumber) == day)
        #expect(day.weekday == weekday)
        #expect(day.description == iso)
    }

    @Test(arguments: ["2023-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-1-05", "26-01-05", "2026-01-0x", ""])
    func impossibleOrMalformedDatesAreRejected(text: String) {
        #expect(CalendarDay(iso: text) == nil)
    }

    @Test(arguments: [
        ("2026-01-30", 30, "2026-03-01"),
        ("2024-02-28", 1, "2024-02-29"),
        ("2026-12-31", 1, "2027-01-01"),
        ("2026-03-01", -1, "2026-02-28"),
    ])
    func addingDaysCrossesMonthsAndYears(start: String, days: Int, expected: String) {
        #expect(F.day(start).adding(days: days) == F.day(expected))
        #expect(F.day(start).days(until: F.day(expected)) == days)
    }

    @Test func localDayAndSendInstantFollowDaylightSavingTime() {
        // 08:00 in Copenhagen is 07:00 UTC in winter and 06:00 UTC in summer (CET/CEST).
        let winter = F.day("2026-03-28").instant(hour: 8, in: F.copenhagen)
        let summer = F.day("2026-03-29").instant(hour: 8, in: F.copenhagen)
        #expect(summer.timeIntervalSince(winter) == 23 * 3600)
        #expect(CalendarDay(Date(timeIntervalSince1970: 1_767_222_000), in: F.copenhagen) == F.day("2026-01-01"))
        #expect(CalendarDay(Date(timeIntervalSince1970: 1_767_221_999), in: F.copenhagen) == F.day("2025-12-31"))
    }

    @Test(arguments: [("da", "4. juli 2026"), ("da-DK", "4. juli 2026"), ("en", "4 July 2026"), ("en-GB", "4 July 2026"), ("de", "4. juli 2026")])
    func datesAreWrittenForPatients(language: String, expected: String) {
        #expect(F.day("2026-07-04").formatted(language: language) == expected)
    }
}
