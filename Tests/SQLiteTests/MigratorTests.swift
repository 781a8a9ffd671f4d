import Testing
@testable import SQLite

let patients = Migration(name: "0001-patients", sql: "CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT;")
let answers = Migration(name: "0002-answers", sql: """
    CREATE TABLE answers (patient_id INTEGER NOT NULL REFERENCES patients(id), value TEXT) STRICT;
    CREATE INDEX answers_patient ON answers(patient_id);
    """)
let notes = Migration(name: "0003-notes", sql: "ALTER TABLE patients ADD COLUMN note TEXT;")

func appliedNames(_ connection: Connection) throws -> [String] {
    try connection.query("SELECT name FROM schema_migrations ORDER BY position").map { try $0.string("name") }
}

@Test func freshDatabaseGetsEveryMigrationInOrder() throws {
    let directory = try TemporaryDirectory()
    let connection = try Connection(path: directory.file())
    try Migrator([patients, answers]).migrate(connection)
    #expect(try appliedNames(connection) == ["0001-patients", "0002-answers"])
    try connection.run("INSERT INTO patients (id, name) VALUES (1, 'A')")
    try connection.run("INSERT INTO answers VALUES (1, 'x')")
}

@Test func rerunningIsANoOp() throws {
    let connection = try Connection(path: ":memory:")
    try Migrator([patients, answers]).migrate(connection)
    try connection.run("INSERT INTO patients (id, name) VALUES (1, 'A')")
    try Migrator([patients, answers]).migrate(connection)
    #expect(try appliedNames(connection) == ["0001-patients", "0002-answers"])
    #expect(try connection.queryOne("SELECT count(*) FROM patients")?[0] == .integer(1))
}

@Test func appendedMigrationIsAppliedAlone() throws {
    let connection = try Connection(path: ":memory:")
    try Migrator([patients, answers]).migrate(connection)
    try Migrator([patients, answers, notes]).migrate(connection)
    #expect(try appliedNames(connection) == ["0001-patients", "0002-answers", "0003-notes"])
    try connection.run("INSERT INTO patients (id, name, note) VALUES (1, 'A', 'n')")
}

@Test func failingMigrationRollsBackAndKeepsEarlierOnes() throws {
    let connection = try Connection(path: ":memory:")
    let broken = Migration(name: "0002-broken", sql: "CREATE TABLE half (v INTEGER) STRICT; CREATE TABLE oops (;")
    let error = try #require(throws: MigrationError.self) { try Migrator([patients, broken]).migrate(connection) }
    guard case .failed(let name, let cause) = error else { Issue.record("wrong error \(error)"); return }
    #expect(name == "0002-broken")
    #expect(cause.message.contains("syntax error"))
    #expect(try appliedNames(connection) == ["0001-patients"])
    #expect(try connection.queryOne("SELECT count(*) FROM sqlite_schema WHERE name = 'half'")?[0] == .integer(0))
}

struct Refusal: Sendable, CustomTestStringConvertible {
    let name: String
    let applied: [Migration]
    let known: [Migration]
    let expected: MigrationError
    var testDescription: String { name }
}

@Test(arguments: [
    Refusal(name: "database from a newer build", applied: [patients, answers, notes], known: [patients, answers],
            expected: .unknownMigration(name: "0003-notes", position: 3)),
    Refusal(name: "migration unknown to this build", applied: [patients, notes], known: [patients, answers, Migration(name: "x", sql: "")],
            expected: .unknownMigration(name: "0003-notes", position: 2)),
    Refusal(name: "changed SQL of an applied migration", applied: [patients, answers],
            known: [patients, Migration(name: answers.name, sql: answers.sql + " ")],
            expected: .changedMigration(name: "0002-answers", position: 2)),
    Refusal(name: "different order", applied: [patients, notes], known: [patients, answers, notes],
            expected: .orderMismatch(position: 2, expected: "0002-answers", found: "0003-notes")),
    Refusal(name: "duplicate name in this build", applied: [], known: [patients, patients],
            expected: .duplicateName("0001-patients")),
])
func migratorRefusesDisagreeingHistory(refusal: Refusal) throws {
    let connection = try Connection(path: ":memory:")
    try Migrator(refusal.applied).migrate(connection)
    let before = try appliedNames(connection)
    #expect(throws: refusal.expected) { try Migrator(refusal.known).migrate(connection) }
    #expect(try appliedNames(connection) == before)
}

@Test func linkedSQLiteSupportsStrictTables() throws {
    let connection = try Connection(path: ":memory:")
    let version = try #require(try connection.queryOne("SELECT sqlite_version()")?[0].string)
    let parts = version.split(separator: ".").compactMap { Int($0) }
    #expect(parts.lexicographicallyPrecedes([3, 37]) == false, "STRICT tables need SQLite 3.37, linked \(version)")
    try connection.execute("CREATE TABLE s (v INTEGER) STRICT")
    #expect(throws: SQLiteError.self) { try connection.run("INSERT INTO s VALUES ('text')") }
}
