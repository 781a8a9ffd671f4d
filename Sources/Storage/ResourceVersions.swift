import Foundation
import SQLite

/// When each version of a resource whose version is a hash of its content (Patient,
/// Organization, Questionnaire: no change time is stored for them) was first served, so that
/// `meta.lastUpdated` stays put between reads and moves exactly when the content changes.
///
/// The instant is the first time the server served that content, which is at or after the
/// real change: FHIR R4 §2.24.0.13 asks only that `lastUpdated` change when the version does.
public enum ResourceVersions {
    /// The instant `version` of `resource` (`Type/id`) was first served: the stored one when
    /// it is the version on record, else `now`, recorded in the caller's transaction.
    public static func since(_ db: Connection, resource: String, version: String, now: Date) throws -> Date {
        if let row = try db.queryOne("SELECT version, since FROM resource_versions WHERE resource = ?", [.text(resource)]),
           try row.string("version") == version {
            return try timestamp(row, "since", table: "resource_versions")
        }
        try db.run("""
            INSERT INTO resource_versions (resource, version, since) VALUES (?1, ?2, ?3)
            ON CONFLICT (resource) DO UPDATE SET version = ?2, since = ?3
            """, [.text(resource), .text(version), .text(Timestamp.string(now))])
        return Timestamp.date(Timestamp.string(now)) ?? now
    }
}
