import Foundation

/// Working days of a Danish outpatient clinic: Monday to Friday except public holidays.
///
/// Used for the department's response deadlines ("red within 1 working day"). The public
/// holidays are the Danish helligdage; store bededag (the fourth Friday after Easter) is one up
/// to and including 2023 and not from 2024 ("Lov om konsekvenser ved afskaffelsen af store
/// bededag som helligdag", Folketinget 2023, in force 1 January 2024). Grundlovsdag (5 June),
/// juleaftensdag (24 December) and nytårsaftensdag (31 December) are not public holidays, but
/// outpatient clinics are commonly closed; `clinicClosedDays` decides.
public struct DanishWorkingDays: Sendable, Hashable {
    /// Whether 5 June, 24 December and 31 December count as non-working days. Default true.
    public var clinicClosedDays: Bool

    public init(clinicClosedDays: Bool = true) {
        self.clinicClosedDays = clinicClosedDays
    }

    /// A day the clinic is closed whatever its weekday, with its Danish name.
    public struct Holiday: Sendable, Hashable {
        public var day: CalendarDay
        public var name: String
    }

    // MARK: Holidays

    /// Easter Sunday of `year` by the anonymous Gregorian algorithm (Meeus/Jones/Butcher,
    /// "A New Year's Present", Nature 1876; Meeus, Astronomical Algorithms ch. 8).
    public static func easterSunday(year: Int) -> CalendarDay {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return CalendarDay(year: year, month: month, day: day)!
    }

    /// Every holiday of `year` under these settings, whatever weekday it falls on, in date order.
    public func holidays(year: Int) -> [Holiday] {
        let easter = Self.easterSunday(year: year)
        func fixed(_ month: Int, _ day: Int, _ name: String) -> Holiday {
            Holiday(day: CalendarDay(year: year, month: month, day: day)!, name: name)
        }
        func fromEaster(_ offset: Int, _ name: String) -> Holiday {
            Holiday(day: easter.adding(days: offset), name: name)
        }
        var days = [
            fixed(1, 1, "Nytårsdag"),
            fromEaster(-3, "Skærtorsdag"),
            fromEaster(-2, "Langfredag"),
            fromEaster(0, "Påskedag"),
            fromEaster(1, "2. påskedag"),
            fromEaster(39, "Kristi himmelfartsdag"),
            fromEaster(49, "Pinsedag"),
            fromEaster(50, "2. pinsedag"),
            fixed(12, 25, "Juledag"),
            fixed(12, 26, "2. juledag"),
        ]
        if year <= 2023 { days.append(fromEaster(26, "Store bededag")) }
        if clinicClosedDays {
            days += [fixed(6, 5, "Grundlovsdag"), fixed(12, 24, "Juleaftensdag"), fixed(12, 31, "Nytårsaftensdag")]
        }
        return days.sorted { $0.day < $1.day }
    }

    /// Whether the clinic works on `day`: not a weekend and not a holiday.
    public func isWorkingDay(_ day: CalendarDay) -> Bool {
        !day.isWeekend && !holidays(year: day.year).contains { $0.day == day }
    }

    // MARK: Counting

    /// The `count`-th working day after `day` (`count` ≥ 0; 0 gives `day` itself).
    public func adding(_ count: Int, workingDaysTo day: CalendarDay) -> CalendarDay {
        var current = day
        var remaining = count
        while remaining > 0 {
            current = current.adding(days: 1)
            if isWorkingDay(current) { remaining -= 1 }
        }
        return current
    }

    /// The deadline `count` working days after `instant`: the same local clock time on the
    /// `count`-th working day after the instant's local day in `timeZone`.
    ///
    /// An answer on Friday 15:00 with 1 working day is due Monday 15:00; one on Saturday 10:00
    /// is due Monday 10:00 (Monday is the first working day after Saturday). Counting whole
    /// days rather than hours keeps the deadline at a time the clinic recognises.
    public func adding(_ count: Int, workingDaysTo instant: Date, in timeZone: TimeZone) -> Date {
        let start = CalendarDay(instant, in: timeZone)
        let time = CalendarDay.timeOfDay(instant, in: timeZone)
        return adding(count, workingDaysTo: start).instant(hour: time.hour, minute: time.minute, second: time.second, in: timeZone)
    }
}
