import Foundation
import JSON
import SQLite

// MARK: - Verification

extension Backup {
    /// Checks the backup at `path` without changing it: no live write-ahead log beside it, the
    /// sidecar (when present) readable and its SHA-256 equal to the file's, `PRAGMA
    /// integrity_check` ok, the migrations a prefix of this build's `Schema.migrations` (the
    /// server migrates forward at start, never back), and the audit chain
    /// (`verifyAuditChain`).
    public static func verify(_ path: String) throws(BackupError) -> BackupVerification {
        guard BackupFileSystem.exists(path) else { throw .missingDatabase(path: path) }
        if let walBytes = BackupFileSystem.size(path + "-wal"), walBytes > 0 { throw .liveDatabase(path: path) }
        let manifest = try readManifest(for: path)
        let digest = try BackupFileSystem.sha256(path)
        if let manifest, manifest.sha256 != digest {
            throw .checksumMismatch(path: path, expected: manifest.sha256, actual: digest)
        }
        let connection = try open(path, mode: .readOnly)
        try checkIntegrity(connection, path: path)
        let names = try run(on: connection, path: path) { () throws(SQLiteError) in try migrationNames(connection) }
        let known = Schema.migrations.map(\.name)
        guard !names.isEmpty, names.count <= known.count, Array(known.prefix(names.count)) == names else {
            throw .migrations(path: path, found: names)
        }
        try verifyAuditChain(connection, path: path)
        return BackupVerification(path: path, sha256: digest, manifest: manifest, migrations: names)
    }

    /// The sidecar of the backup at `path`, or nil when there is none.
    static func readManifest(for path: String) throws(BackupError) -> BackupManifest? {
        let sidecar = BackupManifest.path(for: path)
        guard BackupFileSystem.exists(sidecar) else { return nil }
        guard let data = FileManager.default.contents(atPath: sidecar) else {
            throw .manifest(path: sidecar, reason: "it cannot be read")
        }
        do {
            return try BackupManifest(json: JSON.parse(Array(data)))
        } catch let problem as BackupManifestProblem {
            throw .manifest(path: sidecar, reason: problem.reason)
        } catch {
            throw .manifest(path: sidecar, reason: "not JSON: \(error)")
        }
    }
}
