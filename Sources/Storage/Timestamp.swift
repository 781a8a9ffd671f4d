import Foundation

/// Instants as stored text: ISO 8601 in UTC with seconds (`2026-11-22T02:26:27Z`).
///
/// One fixed format makes stored times sort as text and compare in SQL.
public enum Timestamp {
    /// The stored text of `date`.
    public static func string(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// `date` without its fraction of a second: what reading back its stored text gives.
    public static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    /// The instant a stored text names, or nil when it is not in the stored format.
    public static func date(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601)
    }
}
