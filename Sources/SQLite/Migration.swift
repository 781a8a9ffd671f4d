/// One named schema change: SQL run once, in order, inside its own transaction.
///
/// Migrations are append-only: once released, a migration's name, position and SQL never
/// change; a fix is a new migration. Tables should be declared `STRICT`
/// ("SQLite: STRICT Tables", SQLite ≥ 3.37) so a value of the wrong type is refused.
/// The SQL must not contain statements that cannot run in a transaction (`VACUUM`,
/// `PRAGMA journal_mode`, `PRAGMA foreign_keys`).
public struct Migration: Sendable, Hashable {
    /// A unique, stable name, e.g. `"0001-create-patients"`.
    public let name: String
    /// The SQL script; it may hold several statements.
    public let sql: String

    /// Creates a migration.
    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }
}
