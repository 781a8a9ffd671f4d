/// Applies an ordered, append-only list of migrations and refuses databases that disagree.
///
/// Applied migrations are recorded in `schema_migrations` (position, name, the full SQL text,
/// time applied). The SQL text itself is stored rather than a checksum: the comparison is
/// exact, needs no hash implementation in this module, and shows what ran when diagnosing a
/// database. Before applying anything, the recorded list must be a prefix of this build's
/// list: same names, same order, same SQL. Then each missing migration runs in its own
/// IMMEDIATE transaction together with its record, so a failure leaves the database at the
/// previous migration.
public struct Migrator: Sendable {
    /// The migrations in the order they are applied.
    public let migrations: [Migration]

    /// Creates a migrator for `migrations`, in application order.
    public init(_ migrations: [Migration]) {
        self.migrations = migrations
    }

    /// Brings `connection`'s database up to date, or throws without applying anything when the
    /// database's history disagrees with this build.
    public func migrate(_ connection: Connection) throws(MigrationError) {
        var names = Set<String>()
        for migration in migrations where !names.insert(migration.name).inserted {
            throw .duplicateName(migration.name)
        }
        let applied: [Row]
        do {
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    position INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    sql TEXT NOT NULL,
                    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                ) STRICT
                """)
            applied = try connection.query("SELECT position, name, sql FROM schema_migrations ORDER BY position")
        } catch {
            throw .database(error)
        }
        try verify(applied, names: names)
        for (offset, migration) in migrations.enumerated().dropFirst(applied.count) {
            do {
                try connection.transaction {
                    try connection.execute(migration.sql)
                    try connection.run("INSERT INTO schema_migrations (position, name, sql) VALUES (?, ?, ?)",
                                       [.integer(Int64(offset + 1)), .text(migration.name), .text(migration.sql)])
                }
            } catch let error as SQLiteError {
                throw .failed(name: migration.name, error: error)
            } catch {
                preconditionFailure("Migrator: unexpected error \(error)")
            }
        }
    }

    /// Checks that the applied migrations are this build's first migrations, unchanged.
    private func verify(_ applied: [Row], names: Set<String>) throws(MigrationError) {
        for (offset, row) in applied.enumerated() {
            let position = offset + 1
            let name: String, sql: String
            do throws(SQLiteError) {
                guard try row.int("position") == Int64(position) else {
                    throw SQLiteError.mismatch("schema_migrations has a gap before position \(position)")
                }
                name = try row.string("name")
                sql = try row.string("sql")
            } catch {
                throw .database(error)
            }
            guard names.contains(name), offset < migrations.count else {
                throw .unknownMigration(name: name, position: position)
            }
            guard migrations[offset].name == name else {
                throw .orderMismatch(position: position, expected: migrations[offset].name, found: name)
            }
            guard migrations[offset].sql == sql else { throw .changedMigration(name: name, position: position) }
        }
    }
}
