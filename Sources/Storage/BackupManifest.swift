import Foundation
import JSON

/// The sidecar `<backup>.json` written next to every backup: what was copied, from where,
/// when, and the file's SHA-256, so a restore can tell a damaged or swapped file.
///
/// It is a separate file because the backup must be the database exactly as it was: a table
/// recording the backup inside the copy would change the schema (docs/backup-and-restore.md).
public struct BackupManifest: Sendable, Hashable {
    /// The value of `format`; a later incompatible layout gets a new one.
    public static let format = "byneed-backup/1"

    /// When the copy's snapshot was taken.
    public var createdAt: Date
    /// The absolute path of the database that was copied.
    public var source: String
    /// The copy's page size in bytes ("SQLite: Database File Format" §1.3.2).
    public var pageSize: Int
    /// The number of pages in the copy (`PRAGMA page_count`).
    public var pageCount: Int
    /// The file's size in bytes.
    public var bytes: Int
    /// The SQLite library that made the copy (`sqlite_version()`).
    public var sqliteVersion: String
    /// The names in the copy's `schema_migrations`, in order.
    public var migrations: [String]
    /// Lowercase hex SHA-256 of the backup file.
    public var sha256: String

    /// Creates a manifest.
    public init(createdAt: Date, source: String, pageSize: Int, pageCount: Int, bytes: Int,
                sqliteVersion: String, migrations: [String], sha256: String) {
        self.createdAt = createdAt
        self.source = source
        self.pageSize = pageSize
        self.pageCount = pageCount
        self.bytes = bytes
        self.sqliteVersion = sqliteVersion
        self.migrations = migrations
        self.sha256 = sha256
    }

    /// The sidecar's path for the backup at `backupPath`.
    public static func path(for backupPath: String) -> String { backupPath + ".json" }

    // MARK: - JSON

    /// The sidecar's JSON, members in a fixed order.
    public var json: JSON {
        .object(JSONObject([
            ("format", .string(Self.format)),
            ("created_at", .string(Timestamp.string(createdAt))),
            ("source", .string(source)),
            ("page_size", .number(JSONNumber(pageSize))),
            ("page_count", .number(JSONNumber(pageCount))),
            ("bytes", .number(JSONNumber(bytes))),
            ("sqlite_version", .string(sqliteVersion)),
            ("migrations", .array(migrations.map(JSON.string))),
            ("sha256", .string(sha256)),
        ]))
    }

    /// Reads a sidecar's JSON; the error names the first missing or mistyped member.
    public init(json: JSON) throws(BackupManifestProblem) {
        guard json["format"]?.stringValue == Self.format else {
            throw BackupManifestProblem(reason: "format is not \"\(Self.format)\"")
        }
        func string(_ key: String) throws(BackupManifestProblem) -> String {
            guard let value = json[key]?.stringValue else { throw BackupManifestProblem(reason: "\(key) is missing or not text") }
            return value
        }
        func integer(_ key: String) throws(BackupManifestProblem) -> Int {
            guard let value = json[key]?.intValue else { throw BackupManifestProblem(reason: "\(key) is missing or not an integer") }
            return value
        }
        guard let created = Timestamp.date(try string("created_at")) else {
            throw BackupManifestProblem(reason: "created_at is not an ISO 8601 UTC time")
        }
        guard let names = json["migrations"]?.arrayValue?.compactMap(\.stringValue),
              names.count == json["migrations"]?.arrayValue?.count else {
            throw BackupManifestProblem(reason: "migrations is missing or not a list of names")
        }
        let digest = try string("sha256")
        guard digest.count == 64, digest.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw BackupManifestProblem(reason: "sha256 is not 64 lowercase hex digits")
        }
        self.init(createdAt: created, source: try string("source"), pageSize: try integer("page_size"),
                  pageCount: try integer("page_count"), bytes: try integer("bytes"),
                  sqliteVersion: try string("sqlite_version"), migrations: names, sha256: digest)
    }
}
