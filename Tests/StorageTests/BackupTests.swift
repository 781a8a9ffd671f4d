import Foundation
import JSON
import SQLite
import Storage
import Synchronization
import Testing

/// Backup and restore (docs/backup-and-restore.md): a backup taken under write load holds
/// every commit made before it began; failures leave no file behind; a restore checks before it
/// replaces anything and never runs while a server holds the database.
@Suite struct BackupTests {
    // MARK: - Helpers

    /// A fresh, empty scratch folder.
    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("byneed-backup-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A data directory whose database holds `rows` departments `D0…`, closed again.
    static func dataDirectory(rows: Int, in folder: String, name: String = "data") async throws -> String {
        let directory = (folder as NSString).appendingPathComponent(name)
        do {
            let database = try Database(directory: directory)
            defer { database.close() }
            try await database.write { db in
                for index in 0..<rows { _ = try Departments.insert(db, sorCode: "D\(index)", name: "Department \(index)", phone: "1") }
            }
        }
        try await waitUntilClosed(directory)
        return directory
    }

    /// Waits until the last connection to the database in `directory` has closed: the writer's
    /// connection closes when its thread lets go of it, shortly after `Database.close()`, and the
    /// last connection to close checkpoints and deletes the -wal.
    static func waitUntilClosed(_ directory: String) async throws {
        let log = (directory as NSString).appendingPathComponent("byneed.sqlite-wal")
        try await waitUntil("the database is closed") { !FileManager.default.fileExists(atPath: log) }
    }

    /// The SOR codes of the departments in the database file at `path`.
    static func departments(_ path: String) throws -> Set<String> {
        let connection = try Connection(path: path, mode: .readOnly)
        return Set(try connection.query("SELECT sor_code FROM departments").map { try $0.string("sor_code") })
    }

    /// The error `body` throws as a `BackupError`, or nil when it throws none (or another kind).
    static func backupError(_ body: () throws -> Void) -> BackupError? {
        do {
            try body()
            return nil
        } catch {
            return error as? BackupError
        }
    }

    /// The names in `folder`, sorted.
    static func listing(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }

    /// The bytes of a file, to show it was not changed.
    static func fingerprint(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// Overwrites `count` bytes at `offset` of the file at `path` with 0xA5.
    static func damage(_ path: String, offset: UInt64, count: Int) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: count))
    }

    // MARK: - Backup

    @Test func backupUnderWriteLoadHoldsEveryCommitMadeBeforeItBegan() async throws {
        let folder = try Self.scratch()
        let directory = (folder as NSString).appendingPathComponent("data")
        let database = try Database(directory: directory)
        defer { database.close() }
        try await database.write { db in
            try db.execute("CREATE TABLE ballast (id INTEGER PRIMARY KEY, tag INTEGER NOT NULL, padding BLOB NOT NULL) STRICT")
        }
        let committed = Mutex<[Int64]>([])
        let stop = Atomic<Bool>(false)
        let load = Task {
            var tag: Int64 = 0
            while !stop.load(ordering: .relaxed) {
                tag += 1
                let value = tag
                _ = try await database.write { db in
                    try db.run("INSERT INTO ballast (tag, padding) VALUES (?, zeroblob(2000))", [.integer(value)])
                }
                committed.withLock { $0.append(value) }
            }
        }
        try await waitUntil("1,000 rows are committed") { committed.withLock { $0.count } >= 1_000 }
        let before = Set(committed.withLock { $0 })
        let target = (folder as NSString).appendingPathComponent("copy.sqlite")
        // One page per step: the copy spans hundreds of steps while the writer keeps committing.
        let manifest = try Backup.create(dataDirectory: directory, target: target,
                                         limits: BackupLimits(pagesPerStep: 1, pauseBetweenSteps: .zero))
        let after = committed.withLock { $0.count }
        stop.store(true, ordering: .relaxed)
        try await load.value

        let copy = try Connection(path: target, mode: .readOnly)
        let tags = Set(try copy.query("SELECT tag FROM ballast").map { try $0.int("tag") })
        #expect(before.isSubset(of: tags), "\(before.subtracting(tags).count) rows committed before the backup are missing")
        #expect(tags.count <= after, "the copy holds rows that were never committed")
        #expect(try copy.integrityCheck().isEmpty)
        #expect(after > before.count, "the writer could not commit while the backup ran")
        #expect(manifest.migrations == Schema.migrations.map(\.name))
        #expect(try Backup.verify(target).sha256 == manifest.sha256)
        #expect(try Self.listing(folder) == ["copy.sqlite", "copy.sqlite.json", "data"])
    }

    @Test func onlineBackupCopiesOneSnapshotWhileAnotherConnectionCommitsBetweenSteps() throws {
        let folder = try Self.scratch()
        let source = (folder as NSString).appendingPathComponent("source.sqlite")
        let writer = try Connection(path: source)
        try writer.configureForServer(busyTimeout: .seconds(1))
        try writer.execute("CREATE TABLE ballast (id INTEGER PRIMARY KEY, padding BLOB NOT NULL) STRICT")
        for _ in 0..<200 { try writer.run("INSERT INTO ballast (padding) VALUES (zeroblob(1000))") }
        let reader = try Connection(path: source, mode: .readOnly)
        let destination = try Connection(path: (folder as NSString).appendingPathComponent("copy.sqlite"))
        var remaining: [Int] = []
        try reader.backup(into: destination, pagesPerStep: 5) { progress in
            remaining.append(progress.remainingPages)
            // A commit by another connection after every step (bounded, so a copy that starts
            // over fails the expectation below instead of running forever).
            guard remaining.count < 1_000 else { return }
            do {
                try writer.run("INSERT INTO ballast (padding) VALUES (zeroblob(1000))")
            } catch {
                Issue.record("the writer could not commit during the backup: \(error)")
            }
        }
        #expect(zip(remaining, remaining.dropFirst()).allSatisfy { $0 > $1 }, "the copy started over")
        #expect(try destination.queryOne("SELECT count(*) AS n FROM ballast")?.int("n") == 200)
        #expect(try writer.queryOne("SELECT count(*) AS n FROM ballast")?.int("n") == 200 + Int64(remaining.count))
    }

    @Test func backupIsOneFileInRollbackJournalMode() async throws {
        let folder = try Self.scratch()
        let directory = try await Self.dataDirectory(rows: 3, in: folder)
        let target = (folder as NSString).appendingPathComponent("copy.sqlite")
        _ = try Backup.create(dataDirectory: directory, target: target)
        let header = try Self.fingerprint(target).prefix(20)
        // File format bytes 18 and 19 are 1 for rollback journal, 2 for WAL ("SQLite: Database File Format" §1.3.3).
        #expect(Array(header.suffix(2)) == [1, 1])
        #expect(try Self.departments(target) == ["D0", "D1", "D2"])
    }

    @Test func backupRefusesAnExistingTargetUnlessForced() async throws {
        let folder = try Self.scratch()
        let directory = try await Self.dataDirectory(rows: 1, in: folder)
        let target = (folder as NSString).appendingPathComponent("copy.sqlite")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: target))
        guard case .targetExists(let path) = Self.backupError({ _ = try Backup.create(dataDirectory: directory, target: target) }) else {
            Issue.record("an existing target was not refused")
            return
        }
        #expect(path == target)
        #expect(try Self.fingerprint(target) == Data("keep me".utf8))
        _ = try Backup.create(dataDirectory: directory, target: target, overwrite: true)
        #expect(try Self.departments(target) == ["D0"])
    }

    @Test(arguments: ["", "-wal"])
    func backupNeverOverwritesTheLiveDatabase(_ suffix: String) async throws {
        let folder = try Self.scratch()
        let directory = try await Self.dataDirectory(rows: 1, in: folder)
        let live = (directory as NSString).appendingPathComponent("byneed.sqlite")
        let before = try Self.fingerprint(live)
        let error = Self.backupError { _ = try Backup.create(dataDirectory: directory, target: live + suffix, overwrite: true) }
        guard case .sameFile = error else {
            Issue.record("a backup onto the live database was not refused: \(String(describing: error))")
            return
        }
        #expect(try Self.fingerprint(live) == before)
        #expect(try Self.listing(directory).allSatisfy { !$0.contains("partial") })
    }

    /// Targets that fail for real, as root too: root ignores permission bits, so a read-only
    /// folder is only used when the tests do not run as root.
    static var unwritableTargets: [(label: String, expected: Int32)] {
        var targets: [(String, Int32)] = [("parent-is-a-file", ENOTDIR), ("parent-is-missing", ENOENT)]
        if geteuid() != 0 { targets.append(("read-only-folder", EACCES)) }
        return targets
    }

    @Test(arguments: unwritableTargets)
    func failedBackupNamesTheReasonAndLeavesNoFile(_ target: (label: String, expected: Int32)) async throws {
        let folder = try Self.scratch()
        let directory = try await Self.dataDirectory(rows: 1, in: folder)
        let parent = (folder as NSString).appendingPathComponent("target")
        switch target.label {
        case "parent-is-a-file":
            try Data().write(to: URL(fileURLWithPath: parent))
        case "read-only-folder":
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o500])
        default:
            break
        }
        let path = (parent as NSString).appendingPathComponent("copy.sqlite")
        let error = Self.backupError { _ = try Backup.create(dataDirectory: directory, target: path) }
        guard case .fileSystem(_, let operation, let errno) = error else {
            Issue.record("expected a file-system error, got \(String(describing: error))")
            return
        }
        #expect(operation == "create")
        #expect(errno == target.expected)
        #expect(error?.description.contains(path) == true)
        let leftovers = try Self.listing(folder).filter { $0.contains("partial") }
            + ((try? Self.listing(parent)) ?? [])
        #expect(leftovers.isEmpty)
    }

    @Test func backupOfAMissingDatabaseIsRefused() throws {
        let folder = try Self.scratch()
        let error = Self.backupError {
            _ = try Backup.create(dataDirectory: (folder as NSString).appendingPathComponent("none"),
                                  target: (folder as NSString).appendingPathComponent("copy.sqlite"))
        }
        guard case .missingDatabase = error else {
            Issue.record("expected missingDatabase, got \(String(describing: error))")
            return
        }
        #expect(try Self.listing(folder).isEmpty)
    }

    // MARK: - Restore

    /// How a backup is damaged, and whether its sidecar stays to catch it.
    enum Damage: String, CaseIterable {
        /// A few bytes inside a page's content: only the sidecar's SHA-256 can tell.
        case bytesWithSidecar
        /// A b-tree page overwritten, sidecar removed: `integrity_check` must tell.
        case pageWithoutSidecar
    }

    @Test(arguments: Damage.allCases)
    func restoreRefusesADamagedBackupAndLeavesTheOldDatabase(_ damage: Damage) async throws {
        let folder = try Self.scratch()
        let source = try await Self.dataDirectory(rows: 400, in: folder, name: "source")
        let backup = (folder as NSString).appendingPathComponent("copy.sqlite")
        let manifest = try Backup.create(dataDirectory: source, target: backup)
        switch damage {
        case .bytesWithSidecar:
            try Self.damage(backup, offset: UInt64(manifest.bytes - 100), count: 4)
        case .pageWithoutSidecar:
            try FileManager.default.removeItem(atPath: BackupManifest.path(for: backup))
            try Self.damage(backup, offset: UInt64(manifest.pageSize * 2), count: manifest.pageSize)
        }
        let target = try await Self.dataDirectory(rows: 1, in: folder, name: "target")
        let live = (target as NSString).appendingPathComponent("byneed.sqlite")
        let before = try Self.fingerprint(live)

        let error = Self.backupError { _ = try Backup.restore(backup, into: target) }
        switch (damage, error) {
        case (.bytesWithSidecar, .checksumMismatch(let path, let expected, _)):
            #expect(path == backup)
            #expect(expected == manifest.sha256)
        case (.pageWithoutSidecar, .integrity), (.pageWithoutSidecar, .database):
            break
        default:
            Issue.record("\(damage) was not refused as expected: \(String(describing: error))")
        }
        #expect(try Self.fingerprint(live) == before)
        #expect(try Self.listing(target) == ["byneed.sqlite"])
    }

    @Test func restoreRefusesWhileAServerHoldsTheDatabase() async throws {
        let folder = try Self.scratch()
        let source = try await Self.dataDirectory(rows: 5, in: folder, name: "source")
        let backup = (folder as NSString).appendingPathComponent("copy.sqlite")
        _ = try Backup.create(dataDirectory: source, target: backup)
        let target = (folder as NSString).appendingPathComponent("target")
        do {
            // The server's `Database` releases its writer connection only when it goes away.
            let server = try Database(directory: target)
            defer { server.close() }
            try await server.write { db in _ = try Departments.insert(db, sorCode: "LIVE", name: "Live", phone: "1") }
            guard case .inUse = Self.backupError({ _ = try Backup.restore(backup, into: target) }) else {
                Issue.record("a restore ran while a server held the database")
                return
            }
            #expect(try server.read { db in try Departments.find(db, sorCode: "LIVE") } != nil)
            #expect(try Self.listing(target).allSatisfy { !$0.contains("restor") })
        }
        try await Self.waitUntilClosed(target)

        let result = try Backup.restore(backup, into: target)
        #expect(try Self.departments(result.databasePath) == Set((0..<5).map { "D\($0)" }))
        let previous = try #require(result.previousDatabasePath)
        #expect(try Self.departments(previous) == ["LIVE"])
    }

    @Test func restoreMovesACrashedServersLogAsideWithTheOldDatabase() async throws {
        let folder = try Self.scratch()
        let source = try await Self.dataDirectory(rows: 2, in: folder, name: "source")
        let backup = (folder as NSString).appendingPathComponent("copy.sqlite")
        _ = try Backup.create(dataDirectory: source, target: backup)
        // What kill -9 leaves: the database, its -wal with a committed transaction, its -shm.
        let crashed = try await Self.dataDirectory(rows: 0, in: folder, name: "crashed")
        let live = (crashed as NSString).appendingPathComponent("byneed.sqlite")
        let target = (folder as NSString).appendingPathComponent("target")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        do {
            let server = try Connection(path: live)
            try server.configureForServer(busyTimeout: .seconds(1))
            try server.execute("PRAGMA wal_autocheckpoint=0")
            _ = try Departments.insert(server, sorCode: "ONLY-IN-WAL", name: "Log", phone: "1")
            for suffix in ["", "-wal", "-shm"] {
                try FileManager.default.copyItem(atPath: live + suffix,
                                                 toPath: (target as NSString).appendingPathComponent("byneed.sqlite" + suffix))
            }
        }
        let result = try Backup.restore(backup, into: target)
        #expect(try Self.departments(result.databasePath) == ["D0", "D1"], "the old log was replayed into the restored file")
        #expect(try Self.listing(target).filter { $0.hasPrefix("byneed.sqlite-") }.isEmpty)
        let previous = try #require(result.previousDatabasePath)
        #expect(try Self.departments(previous) == ["ONLY-IN-WAL"], "the old database lost its committed log")
        #expect(try Backup.verify(result.databasePath).migrations.count == Schema.migrations.count)
    }

    @Test func restoreIntoAFreshFolderCreatesIt() async throws {
        let folder = try Self.scratch()
        let source = try await Self.dataDirectory(rows: 3, in: folder, name: "source")
        let backup = (folder as NSString).appendingPathComponent("copy.sqlite")
        _ = try Backup.create(dataDirectory: source, target: backup)
        let target = (folder as NSString).appendingPathComponent("new/data")
        let result = try Backup.restore(backup, into: target)
        #expect(result.previousDatabasePath == nil)
        #expect(try Self.listing(target) == ["byneed.sqlite"])
        let database = try Database(directory: target, createIfMissing: false)
        defer { database.close() }
        #expect(try database.read { db in try Departments.find(db, sorCode: "D2") } != nil)
    }

    // MARK: - Verification

    /// Changes to a backup's schema history that a restore must refuse.
    enum History: String, CaseIterable {
        case unknownMigration
        case noMigrations
        case editedAuditLog
    }

    @Test(arguments: History.allCases)
    func verifyRefusesWhatThisBuildCannotRestore(_ history: History) async throws {
        let folder = try Self.scratch()
        let source = try await Self.dataDirectory(rows: 1, in: folder, name: "source")
        let backup = (folder as NSString).appendingPathComponent("copy.sqlite")
        _ = try Backup.create(dataDirectory: source, target: backup)
        try FileManager.default.removeItem(atPath: BackupManifest.path(for: backup))
        do {
            let connection = try Connection(path: backup)
            switch history {
            case .unknownMigration:
                try connection.run("INSERT INTO schema_migrations (position, name, sql) VALUES (999, '9999-from-the-future', '')")
            case .noMigrations:
                try connection.execute("DROP TABLE schema_migrations")
            case .editedAuditLog:
                let entry = AuditEntry(at: Date(timeIntervalSince1970: 1_800_000_000), actorKind: .system, actorID: nil,
                                       patientID: nil, action: .change, what: "test", outcome: "allowed")
                try AuditLog.append(connection, entry)
                try AuditLog.append(connection, entry)
                try connection.run("UPDATE \(Backup.auditTable) SET outcome = 'denied' WHERE id = 2")
            }
        }
        let error = Self.backupError { _ = try Backup.verify(backup) }
        switch (history, error) {
        case (.unknownMigration, .migrations(_, let found)):
            #expect(found.last == "9999-from-the-future")
        case (.noMigrations, .migrations(_, let found)):
            #expect(found.isEmpty)
        case (.editedAuditLog, .auditChain(_, let reason)):
            #expect(reason.contains("row 2"))
        default:
            Issue.record("\(history) was not refused as expected: \(String(describing: error))")
        }
    }

    @Test func verifyRefusesALiveDatabaseWithItsLog() async throws {
        let folder = try Self.scratch()
        let directory = try await Self.dataDirectory(rows: 1, in: folder)
        let database = try Database(directory: directory)
        defer { database.close() }
        try await database.write { db in _ = try Departments.insert(db, sorCode: "NEW", name: "New", phone: "1") }
        let live = (directory as NSString).appendingPathComponent("byneed.sqlite")
        guard case .liveDatabase = Self.backupError({ _ = try Backup.verify(live) }) else {
            Issue.record("a database with a non-empty -wal was accepted as a backup")
            return
        }
    }

    // MARK: - Sidecar

    @Test func manifestSurvivesItsJSON() throws {
        let manifest = BackupManifest(createdAt: Date(timeIntervalSince1970: 1_795_000_000), source: "/srv/byneed/data/byneed.sqlite",
                                      pageSize: 4096, pageCount: 53, bytes: 217_088, sqliteVersion: "3.40.1",
                                      migrations: ["0001-a", "0002-b"], sha256: String(repeating: "ab", count: 32))
        let text = manifest.json.serialized(pretty: true)
        #expect(try BackupManifest(json: JSON.parse(text)) == manifest)
    }

    @Test(arguments: [
        ("format", #""byneed-backup/2""#),
        ("sha256", #""ABCD""#),
        ("migrations", #"[1, 2]"#),
        ("created_at", #""yesterday""#),
        ("page_count", #""many""#),
    ])
    func manifestRefusesAWrongMember(_ key: String, _ value: String) throws {
        let good = BackupManifest(createdAt: Date(timeIntervalSince1970: 0), source: "/x", pageSize: 4096, pageCount: 1,
                                  bytes: 4096, sqliteVersion: "3", migrations: ["0001-a"], sha256: String(repeating: "0", count: 64))
        guard case .object(var object) = good.json else { Issue.record("the manifest is not an object"); return }
        object[key] = try JSON.parse(value)
        #expect(throws: BackupManifestProblem.self) { try BackupManifest(json: .object(object)) }
    }
}
