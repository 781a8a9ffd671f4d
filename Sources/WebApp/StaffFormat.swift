import FollowUp
import Foundation

/// How dates, times, durations and numbers are written on the clinician pages: local time in
/// the department's time zone, day first (`22.11.2026 14:05`), decimal commas in Danish.
struct StaffFormat {
    let language: Language
    let timeZone: TimeZone

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// `22.11.2026 14:05`.
    func dateTime(_ instant: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        return String(format: "%02d.%02d.%04d %02d:%02d", parts.day ?? 0, parts.month ?? 0, parts.year ?? 0,
                      parts.hour ?? 0, parts.minute ?? 0)
    }

    /// `22.11.2026`.
    func date(_ instant: Date) -> String { day(CalendarDay(instant, in: timeZone)) }

    /// `22.11.2026`.
    func day(_ day: CalendarDay) -> String {
        String(format: "%02d.%02d.%04d", day.day, day.month, day.year)
    }

    /// How long ago `deadline` passed at `now` ("2 dage", "5 timer"); nil when it has not.
    func overdue(_ deadline: Date, now: Date) -> String? {
        let seconds = now.timeIntervalSince(deadline)
        guard seconds > 0 else { return nil }
        let hours = Int(seconds / 3600)
        if hours < 24 { return StaffPhrase.hours(max(hours, 1)).text(language) }
        return StaffPhrase.days(hours / 24).text(language)
    }

    /// A stored decimal text with the reader's decimal separator.
    func number(_ text: String) -> String {
        language == .danish ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    /// A signed change, `+2` or `−1,5`; `±0` for none.
    func change(_ difference: Decimal) -> String {
        if difference == 0 { return "±0" }
        let magnitude = number("\(difference < 0 ? -difference : difference)")
        return (difference < 0 ? "−" : "+") + magnitude
    }
}
