import Foundation
import Testing
@testable import FollowUp

@Suite struct DanishWorkingDaysTests {
    typealias F = Fixtures

    /// Known Easter Sundays, including the extremes of the Gregorian range (22 March 2285,
    /// 25 April 2038).
    @Test(arguments: [
        (2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05"), (2027, "2027-03-28"),
        (2000, "2000-04-23"), (2019, "2019-04-21"), (2038, "2038-04-25"), (2285, "2285-03-22"), (1900, "1900-04-15"),
    ])
    func easterSundayByTheAnonymousGregorianAlgorithm(year: Int, expected: String) {
        #expect(DanishWorkingDays.easterSunday(year: year) == F.day(expected))
    }

    @Test(arguments: [
        ("2026-01-01", false), // nytårsdag
        ("2026-04-02", false), // skærtorsdag
        ("2026-04-03", false), // langfredag
        ("2026-04-06", false), // 2. påskedag
        ("2026-05-14", false), // Kristi himmelfartsdag
        ("2026-05-25", false), // 2. pinsedag
        ("2026-12-25", false), // juledag (Friday)
        ("2026-12-28", true), // Monday after Christmas
        ("2023-05-05", false), // store bededag 2023, still a holiday
        ("2024-04-26", true), // the Friday that would have been store bededag 2024
        ("2025-05-16", true), // … and 2025
        ("2026-06-05", false), // grundlovsdag (clinic closed by default)
        ("2025-12-24", false), // juleaftensdag
        ("2025-12-31", false), // nytårsaftensdag
        ("2026-01-03", false), // Saturday
        ("2026-01-05", true), // an ordinary Monday
    ])
    func workingDaysSkipWeekendsAndHolidays(day: String, working: Bool) {
        #expect(DanishWorkingDays().isWorkingDay(F.day(day)) == working)
    }

    @Test(arguments: ["2026-06-05", "2025-12-24", "2025-12-31"])
    func clinicClosedDaysAreAnOption(day: String) {
        #expect(!DanishWorkingDays(clinicClosedDays: true).isWorkingDay(F.day(day)))
        #expect(DanishWorkingDays(clinicClosedDays: false).isWorkingDay(F.day(day)))
    }

    @Test func holidaysOfAYearAreListedInDateOrder() {
        let names = DanishWorkingDays(clinicClosedDays: false).holidays(year: 2023).map(\.name)
        #expect(names == ["Nytårsdag", "Skærtorsdag", "Langfredag", "Påskedag", "2. påskedag", "Store bededag",
                          "Kristi himmelfartsdag", "Pinsedag", "2. pinsedag", "Juledag", "2. juledag"])
        #expect(DanishWorkingDays(clinicClosedDays: false).holidays(year: 2024).count == 10)
    }

    @Test(arguments: [
        ("2025-12-19", 15, 1, true, "2025-12-22"), // Friday → Monday
        ("2026-01-03", 10, 1, true, "2026-01-05"), // Saturday → Monday
        ("2025-12-23", 9, 1, true, "2025-12-29"), // 24–28 December closed
        ("2025-12-23", 9, 1, false, "2025-12-24"), // … unless juleaften is a working day
        ("2026-04-01", 12, 1, true, "2026-04-07"), // Easter: Thu, Fri, weekend, Mon
        ("2023-05-04", 12, 1, true, "2023-05-08"), // store bededag 2023
        ("2024-04-25", 12, 1, true, "2024-04-26"), // no store bededag from 2024
        ("2026-01-05", 8, 5, true, "2026-01-12"), // a week
        ("2026-03-27", 15, 1, true, "2026-03-30"), // across the start of summer time
        ("2026-01-05", 8, 0, true, "2026-01-05"), // zero working days: the same instant
    ])
    func deadlinesKeepTheLocalTimeOnTheNthWorkingDay(start: String, hour: Int, days: Int, closed: Bool, expected: String) {
        let deadline = DanishWorkingDays(clinicClosedDays: closed).adding(days, workingDaysTo: F.at(start, hour), in: F.copenhagen)
        #expect(deadline == F.at(expected, hour))
    }
}
