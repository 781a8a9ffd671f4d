import Testing
@testable import SQLite

struct RoundTrip: Sendable, CustomTestStringConvertible {
    let name: String
    let value: SQLValue
    var testDescription: String { name }
}

let roundTrips: [RoundTrip] = [
    RoundTrip(name: "null", value: .null),
    RoundTrip(name: "empty text is not NULL", value: .text("")),
    RoundTrip(name: "ASCII text", value: "hello"),
    RoundTrip(name: "text with NUL inside", value: .text("a\u{0}b\u{0}")),
    RoundTrip(name: "emoji and Danish letters", value: .text("æøå 👩🏽‍⚕️ 🇩🇰")),
    RoundTrip(name: "empty blob is not NULL", value: .blob([])),
    RoundTrip(name: "blob with zero bytes", value: .blob([0, 255, 0, 1])),
    RoundTrip(name: "Int64.max", value: .integer(.max)),
    RoundTrip(name: "Int64.min", value: .integer(.min)),
    RoundTrip(name: "zero", value: 0),
    RoundTrip(name: "negative one", value: -1),
    RoundTrip(name: "decimal fraction", value: 0.1),
    RoundTrip(name: "pi", value: .real(Double.pi)),
    RoundTrip(name: "largest finite double", value: .real(.greatestFiniteMagnitude)),
    RoundTrip(name: "smallest subnormal", value: .real(.leastNonzeroMagnitude)),
    RoundTrip(name: "infinity", value: .real(.infinity)),
]

@Test(arguments: roundTrips)
func boundValuesComeBackExactlyThroughATable(roundTrip: RoundTrip) throws {
    let connection = try Connection(path: ":memory:")
    try connection.execute("CREATE TABLE t (v ANY) STRICT")
    try connection.run("INSERT INTO t (v) VALUES (?)", [roundTrip.value])
    let row = try #require(try connection.queryOne("SELECT v, typeof(v) AS type FROM t"))
    #expect(row[0] == roundTrip.value)
    #expect(row["type"] == .text(roundTrip.value.storageClassName.lowercased()))
}

@Test(arguments: roundTrips)
func boundValuesComeBackExactlyFromSelect(roundTrip: RoundTrip) throws {
    let connection = try Connection(path: ":memory:")
    #expect(try connection.queryOne("SELECT ?", [roundTrip.value])?[0] == roundTrip.value)
}

@Test func textWithNULKeepsItsByteLength() throws {
    let connection = try Connection(path: ":memory:")
    let row = try #require(try connection.queryOne("SELECT length(CAST(? AS BLOB))", [.text("a\u{0}b")]))
    #expect(row[0] == .integer(3))
}

@Test func parameterCountMustMatch() throws {
    let connection = try Connection(path: ":memory:")
    let error = #expect(throws: SQLiteError.self) { try connection.query("SELECT ?, ?", [1]) }
    #expect(error?.sql == "SELECT ?, ?")
    #expect(error?.message.contains("expected 2 parameters, got 1") == true)
}

@Test func statementRebindsAfterReset() throws {
    let connection = try Connection(path: ":memory:")
    let statement = try connection.prepare("SELECT ? + 1 AS next")
    #expect(statement.columnNames == ["next"])
    try statement.bind([1])
    #expect(try statement.step()?[0] == .integer(2))
    try statement.bind([41])
    #expect(try statement.step()?["next"] == .integer(42))
    #expect(try statement.step() == nil)
    statement.reset()
    #expect(try statement.step()?[0] == .integer(42))
}

@Test func prepareRefusesTrailingStatementsButAllowsTrailingComments() throws {
    let connection = try Connection(path: ":memory:")
    #expect(throws: SQLiteError.self) { try connection.prepare("SELECT 1; SELECT 2") }
    #expect(throws: SQLiteError.self) { try connection.prepare("  -- nothing") }
    _ = try connection.prepare("SELECT 1; -- trailing comment\n ")
}

@Test func sqlErrorsCarrySQLButNotBoundValues() throws {
    let connection = try Connection(path: ":memory:")
    try connection.execute("CREATE TABLE p (cpr TEXT NOT NULL UNIQUE) STRICT")
    try connection.run("INSERT INTO p VALUES (?)", ["0101701234"])
    let error = try #require(throws: SQLiteError.self) { try connection.run("INSERT INTO p VALUES (?)", ["0101701234"]) }
    #expect(error.isConstraint)
    #expect(error.extendedCode == 2067) // SQLITE_CONSTRAINT_UNIQUE
    #expect(error.sql == "INSERT INTO p VALUES (?)")
    #expect(!error.description.contains("0101701234"))
    #expect(error.description.contains("UNIQUE constraint failed"))
}

// MARK: - Rows

@Test func rowAccessorsReadTypedValuesAndNameTheColumnOnError() throws {
    let connection = try Connection(path: ":memory:")
    let row = try #require(try connection.queryOne(
        "SELECT 7 AS n, 2.5 AS d, 'x' AS s, x'01' AS b, NULL AS z"))
    #expect(try row.int("n") == 7)
    #expect(try row.double("d") == 2.5)
    #expect(try row.double("n") == 7)
    #expect(try row.string("s") == "x")
    #expect(try row.blob("b") == [1])
    #expect(try row.optionalString("z") == nil)
    #expect(try row.optionalInt("n") == 7)
    #expect(try row.optionalBlob("z") == nil)
    #expect(try row.optionalDouble("z") == nil)
    #expect(row["missing"] == nil)

    let wrongType = try #require(throws: SQLiteError.self) { try row.int("s") }
    #expect(wrongType.message == "column \"s\" is TEXT, expected INTEGER")
    let null = try #require(throws: SQLiteError.self) { try row.string("z") }
    #expect(null.message == "column \"z\" is NULL, expected TEXT")
    let missing = try #require(throws: SQLiteError.self) { try row.optionalString("nope") }
    #expect(missing.message.contains("no column \"nope\""))
}

@Test func sqlValueHelpersMapOptionals() {
    #expect(SQLValue(String?.none) == .null)
    #expect(SQLValue("a" as String?) == .text("a"))
    #expect(SQLValue(Int?.some(3)) == .integer(3))
    #expect(SQLValue(true) == .integer(1))
    #expect(SQLValue([UInt8]?.none) == .null)
    #expect(SQLValue.integer(3).double == 3)
    #expect(SQLValue.text("3").int64 == nil)
    #expect((nil as SQLValue).isNull)
}
