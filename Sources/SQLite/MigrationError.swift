/// Why the migrator refused a database or failed to migrate it.
public enum MigrationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// This build lists the same migration name twice.
    case duplicateName(String)
    /// The database has a migration this build does not know: the database was migrated by a
    /// newer build (or a different application). Nothing was changed.
    case unknownMigration(name: String, position: Int)
    /// The SQL of an applied migration differs from this build's: migrations are append-only.
    case changedMigration(name: String, position: Int)
    /// The database applied migrations in a different order than this build lists them.
    case orderMismatch(position: Int, expected: String, found: String)
    /// A migration's SQL failed; its transaction was rolled back.
    case failed(name: String, error: SQLiteError)
    /// Reading or creating the `schema_migrations` table failed.
    case database(SQLiteError)

    public var description: String {
        switch self {
        case .duplicateName(let name):
            "migration name \"\(name)\" is listed twice"
        case .unknownMigration(let name, let position):
            "database has migration #\(position) \"\(name)\" that this build does not know; is the database from a newer version?"
        case .changedMigration(let name, let position):
            "migration #\(position) \"\(name)\" was changed after it was applied; add a new migration instead"
        case .orderMismatch(let position, let expected, let found):
            "migration #\(position) in the database is \"\(found)\", this build expects \"\(expected)\""
        case .failed(let name, let error):
            "migration \"\(name)\" failed: \(error)"
        case .database(let error):
            "cannot read schema_migrations: \(error)"
        }
    }
}
