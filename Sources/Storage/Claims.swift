import Foundation
import SQLite

/// Reads and writes `claims`: who a finding is assigned to. Append-only; the latest row for a
/// finding is the current assignment, and a row without assignee releases it.
public enum Claims {
    /// Assigns a finding to `assignee` (nil releases it).
    public static func assign(_ db: Connection, _ subject: Decision.Subject, to assignee: StaffAccountID?, by: StaffAccountID, now: Date) throws {
        try db.run("INSERT INTO claims (subject_kind, subject_id, assignee, assigned_by, at) VALUES (?, ?, ?, ?, ?)",
                   [.text(subject.kind), .integer(subject.rowID), assignee.map { .integer($0.rawValue) } ?? .null,
                    .integer(by.rawValue), .text(Timestamp.string(now))])
    }

    /// The current assignee of a finding, if any.
    public static func assignee(_ db: Connection, _ subject: Decision.Subject) throws -> StaffAccountID? {
        try db.queryOne("SELECT assignee FROM claims WHERE subject_kind = ? AND subject_id = ? ORDER BY id DESC LIMIT 1",
                        [.text(subject.kind), .integer(subject.rowID)])?.optionalInt("assignee").map(StaffAccountID.init(rawValue:))
    }
}
