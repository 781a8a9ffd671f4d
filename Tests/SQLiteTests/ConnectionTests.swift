import Foundation
import Testing
@testable import SQLite

struct Rollback: Error {}

// MARK: - Transactions

@Test func transactionCommitsWhenBodyReturns() throws {
    let connection = try Connection(path: ":memory:")
    try connection.execute("CREATE TABLE t (v INTEGER) STRICT")
    let result = try connection.transaction {
        try connection.run("INSERT INTO t VALUES (1)")
        return "done"
    }
    #expect(result == "done")
    #expect(!connection.isInTransaction)
    #expect(try connection.queryOne("SELECT count(*) FROM t")?[0] == .integer(1))
}

@Test func transactionRollsBackAndRethrowsWhenBodyThrows() throws {
    let connection = try Connection(path: ":memory:")
    try connection.execute("CREATE TABLE t (v INTEGER) STRICT")
    #expect(throws: Rollback.self) {
        try connection.transaction(.deferred) {
            try connection.run("INSERT INTO t VALUES (1)")
            throw Rollback()
        }
    }
    #expect(!connection.isInTransaction)
    #expect(try connection.queryOne("SELECT count(*) FROM t")?[0] == .integer(0))
}

@Test(arguments: [Connection.TransactionKind.deferred, .immediate, .exclusive])
func nestedTransactionIsRefusedWithoutDisturbingTheOuterOne(kind: Connection.TransactionKind) throws {
    let connection = try Connection(path: ":memory:")
    try connection.execute("CREATE TABLE t (v INTEGER) STRICT")
    try connection.transaction(kind) {
        try connection.run("INSERT INTO t VALUES (1)")
        let error = try #require(throws: SQLiteError.self) { try connection.transaction { 0 } }
        #expect(error.message.contains("nested transaction"))
        #expect(connection.isInTransaction)
    }
    #expect(try connection.queryOne("SELECT count(*) FROM t")?[0] == .integer(1))
}

@Test func changesAndLastInsertRowIDReportTheLastWrite() throws {
    let connection = try Connection(path: ":memory:")
    try connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER) STRICT; INSERT INTO t (v) VALUES (1), (2), (3)")
    try connection.run("INSERT INTO t (v) VALUES (?)", [4])
    #expect(connection.lastInsertRowID == 4)
    #expect(try connection.run("UPDATE t SET v = v + 1 WHERE v > ?", [1]) == 3)
    #expect(connection.changes == 3)
}

// MARK: - Server configuration

@Test func configureForServerTurnsOnWALAndForeignKeys() throws {
    let directory = try TemporaryDirectory()
    let connection = try Connection(path: directory.file())
    try connection.configureForServer(busyTimeout: .seconds(1))
    #expect(try connection.queryOne("PRAGMA journal_mode")?[0] == "wal")
    #expect(try connection.queryOne("PRAGMA synchronous")?[0] == .integer(2)) // FULL
    #expect(try connection.queryOne("PRAGMA busy_timeout")?[0] == .integer(1000))
    try connection.execute("CREATE TABLE t (v INTEGER) STRICT; INSERT INTO t VALUES (1)")
    #expect(FileManager.default.fileExists(atPath: directory.file() + "-wal"))
}

@Test func configureForServerFailsWhenWALIsImpossible() throws {
    let connection = try Connection(path: ":memory:")
    let error = try #require(throws: SQLiteError.self) { try connection.configureForServer(busyTimeout: .seconds(1)) }
    #expect(error.message.contains("expected wal"))
}

@Test func foreignKeysAreEnforcedAfterConfiguration() throws {
    let directory = try TemporaryDirectory()
    let connection = try Connection(path: directory.file())
    try connection.configureForServer(busyTimeout: .milliseconds(100))
    try connection.execute("""
        CREATE TABLE parent (id INTEGER PRIMARY KEY) STRICT;
        CREATE TABLE child (parent_id INTEGER NOT NULL REFERENCES parent(id)) STRICT;
        """)
    let error = try #require(throws: SQLiteError.self) { try connection.run("INSERT INTO child VALUES (?)", [42]) }
    #expect(error.isConstraint)
    #expect(error.extendedCode == 787) // SQLITE_CONSTRAINT_FOREIGNKEY
}

@Test(arguments: [
    ("i", SQLValue.text("seven")), ("i", .real(1.5)), ("i", .blob([1])), ("t", .blob([1])), ("b", .text("x")),
])
func strictTablesRejectWrongTypes(column: String, value: SQLValue) throws {
    let connection = try Connection(path: ":memory:")
    try connection.execute("CREATE TABLE t (i INTEGER, t TEXT, b BLOB) STRICT")
    let error = try #require(throws: SQLiteError.self) { try connection.run("INSERT INTO t (\(column)) VALUES (?)", [value]) }
    #expect(error.isConstraint)
    #expect(error.extendedCode == 3091) // SQLITE_CONSTRAINT_DATATYPE
}

@Test func secondWriterGetsBusyAfterItsTimeout() throws {
    let directory = try TemporaryDirectory()
    let first = try Connection(path: directory.file())
    try first.configureForServer(busyTimeout: .milliseconds(10))
    try first.execute("CREATE TABLE t (v INTEGER) STRICT")
    let second = try Connection(path: directory.file())
    try second.configureForServer(busyTimeout: .milliseconds(10))
    try first.transaction {
        try first.run("INSERT INTO t VALUES (1)")
        let error = try #require(throws: SQLiteError.self) {
            try second.transaction { try second.run("INSERT INTO t VALUES (2)") }
        }
        #expect(error.isBusy)
        #expect(!second.isInTransaction)
        // A reader is not blocked by the writer in WAL mode and sees the last commit.
        #expect(try second.queryOne("SELECT count(*) FROM t")?[0] == .integer(0))
    }
    #expect(try second.queryOne("SELECT count(*) FROM t")?[0] == .integer(1))
}

@Test func readOnlyConnectionRefusesWrites() throws {
    let directory = try TemporaryDirectory()
    try Connection(path: directory.file()).execute("CREATE TABLE t (v INTEGER) STRICT")
    let reader = try Connection(path: directory.file(), mode: .readOnly)
    let error = try #require(throws: SQLiteError.self) { try reader.run("INSERT INTO t VALUES (1)") }
    #expect(error.isReadOnly)
}

@Test func openingAMissingFileWithoutCreateFails() throws {
    let directory = try TemporaryDirectory()
    let error = try #require(throws: SQLiteError.self) {
        try Connection(path: directory.file("absent.sqlite"), mode: .readWrite(create: false))
    }
    #expect(error.code == 14) // SQLITE_CANTOPEN
    #expect(!FileManager.default.fileExists(atPath: directory.file("absent.sqlite")))
}

@Test func integrityCheckOfAHealthyDatabaseIsEmpty() throws {
    let directory = try TemporaryDirectory()
    let connection = try Connection(path: directory.file())
    try connection.execute("CREATE TABLE t (v TEXT UNIQUE) STRICT; INSERT INTO t VALUES ('a'), ('b')")
    #expect(try connection.integrityCheck() == [])
}

@Test func connectionClosesOnceItsStatementsAreFinalised() throws {
    let directory = try TemporaryDirectory()
    do {
        let connection = try Connection(path: directory.file())
        try connection.configureForServer(busyTimeout: .milliseconds(10))
        try connection.execute("CREATE TABLE t (v INTEGER) STRICT; INSERT INTO t VALUES (1)")
        let statement = try connection.prepare("SELECT v FROM t")
        _ = try statement.step()
    }
    // With every statement finalised, the last connection closed cleanly and checkpointed:
    // SQLite deletes the -wal file on a clean close.
    #expect(!FileManager.default.fileExists(atPath: directory.file() + "-wal"))
    let reopened = try Connection(path: directory.file())
    #expect(try reopened.queryOne("SELECT v FROM t")?[0] == .integer(1))
}

@Test func fullDatabaseIsReportedAsFullAndRolledBack() throws {
    let connection = try Connection(path: ":memory:")
    try connection.execute("CREATE TABLE t (b BLOB) STRICT; PRAGMA max_page_count = 4")
    let error = try #require(throws: SQLiteError.self) {
        try connection.transaction {
            try connection.run("INSERT INTO t VALUES (?)", [.blob([UInt8](repeating: 7, count: 100_000))])
        }
    }
    #expect(error.isFull)
    #expect(!connection.isInTransaction)
    #expect(try connection.queryOne("SELECT count(*) FROM t")?[0] == .integer(0))
}

@Test func queryOneReturnsNilWithoutRows() throws {
    let connection = try Connection(path: ":memory:")
    try connection.execute("CREATE TABLE t (v INTEGER) STRICT")
    #expect(try connection.queryOne("SELECT v FROM t WHERE v = ?", [1]) == nil)
}
