import Foundation
import SQLite
import Storage
import Synchronization
import Testing

// MARK: - Helpers

/// Holds the writer thread inside one job until opened, so a test can queue jobs behind it
/// and know exactly which jobs will form the next batches.
final class WriterGate: Sendable {
    private let state = Mutex<(entered: Bool, open: Bool)>((false, false))

    /// Runs on the writer thread: marks the gate entered and waits there until it is opened.
    func hold() {
        state.withLock { $0.entered = true }
        while !state.withLock({ $0.open }) { usleep(200) }
    }

    func open() { state.withLock { $0.open = true } }

    var entered: Bool { state.withLock { $0.entered } }
}

/// A stuck test should fail, not hang: how long helpers wait for a state before giving up.
let patience: Duration = .seconds(30)

struct GaveUpWaiting: Error {
    let what: String
}

/// Polls `condition` until it holds; throws after `patience`.
func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + patience
    while !condition() {
        guard ContinuousClock.now < deadline else { throw GaveUpWaiting(what: what) }
        try await Task.sleep(for: .milliseconds(1))
    }
}

/// Blocks `database`'s writer with a job that waits at the gate; returns once it waits there.
func blockWriter(_ database: Database) async throws -> (WriterGate, Task<Void, any Error>) {
    let gate = WriterGate()
    let task = Task { try await database.write { _ in gate.hold() } }
    try await waitUntil("the writer holds at the gate") { gate.entered }
    return (gate, task)
}

/// A fresh database with a `probe` table of tagged rows.
func makeProbeDatabase(limits: WriterLimits = WriterLimits()) async throws -> (Database, String) {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("byneed-groupcommit-\(UUID().uuidString)").path
    let database = try Database(directory: directory, writerLimits: limits)
    try await database.write { db in
        try db.execute("CREATE TABLE probe (id INTEGER PRIMARY KEY, tag INTEGER NOT NULL) STRICT")
    }
    return (database, directory)
}

/// Inserts a probe row tagged `tag` and returns its rowid.
@Sendable func insertProbe(_ db: Connection, _ tag: Int) throws -> Int64 {
    try db.run("INSERT INTO probe (tag) VALUES (?)", [.integer(Int64(tag))])
    return db.lastInsertRowID
}

/// The probe rows' tags in insertion order (`.inserted`) or sorted (`.sorted`), for tests whose
/// jobs were queued concurrently and so in no defined order.
func probeTags(_ database: Database, _ order: TagOrder = .sorted) throws -> [Int64] {
    try database.read { db in
        try db.query("SELECT tag FROM probe ORDER BY \(order.rawValue)").map { try $0.int("tag") }
    }
}

enum TagOrder: String {
    case inserted = "id"
    case sorted = "tag"
}

/// Starts one write task per tag while the writer is held, each running `body`, and returns
/// once all of them are queued.
func queueWrites<T: Sendable>(_ database: Database, tags: Range<Int>,
                              _ body: @escaping @Sendable (Connection, Int) throws -> T) async throws -> [Task<T, any Error>] {
    let before = database.statistics.queueDepth
    let tasks = tags.map { tag in Task { try await database.write { db in try body(db, tag) } } }
    try await waitUntil("\(tags.count) writes are queued") { database.statistics.queueDepth == before + tags.count }
    return tasks
}

/// Like `queueWrites`, but queues one write at a time, so they are queued in the order of `tags`.
func queueWritesInOrder<T: Sendable>(_ database: Database, tags: Range<Int>,
                                     _ body: @escaping @Sendable (Connection, Int) throws -> T) async throws -> [Task<T, any Error>] {
    var tasks: [Task<T, any Error>] = []
    for tag in tags {
        tasks += try await queueWrites(database, tags: tag..<(tag + 1), body)
    }
    return tasks
}

struct DeliberateFailure: Error {}

// MARK: - Batching

@Test func concurrentWritesShareCommitsAndEachCallerSeesItsRowCommitted() async throws {
    let (database, _) = try await makeProbeDatabase()
    defer { database.close() }
    let before = database.statistics
    let (gate, held) = try await blockWriter(database)
    let tasks = (0..<100).map { tag in
        Task { () throws -> Int in
            let id = try await database.write { db in try insertProbe(db, tag) }
            return try database.read { db in
                try db.queryOne("SELECT count(*) AS n FROM probe WHERE id = ?", [.integer(id)])?.int("n")
            }.map(Int.init) ?? 0
        }
    }
    try await waitUntil("100 writes are queued") { database.statistics.queueDepth == 100 }
    gate.open()
    try await held.value
    for task in tasks {
        #expect(try await task.value == 1, "a caller resumed before its row was visible to another connection")
    }
    let after = database.statistics
    #expect(after.jobsCommitted - before.jobsCommitted == 101)
    #expect(after.batchesCommitted - before.batchesCommitted == 3, "the gate alone, then 64, then 36")
    #expect(after.batchSizes.sum - before.batchSizes.sum == 101)
    let largestBucket = try #require(after.batchSizes.upperBounds.firstIndex(of: 64))
    #expect(after.batchSizes.counts[(largestBucket + 1)...].allSatisfy { $0 == 0 }, "no batch above 64 jobs")
    #expect(after.commitMicroseconds.count - before.commitMicroseconds.count == 3)
    #expect(try probeTags(database).count == 100)
}

@Test func aFailingJobRollsBackOnlyItselfAndItsBatchMatesCommit() async throws {
    let (database, _) = try await makeProbeDatabase()
    defer { database.close() }
    let (gate, held) = try await blockWriter(database)
    let before = database.statistics
    let tasks = try await queueWrites(database, tags: 0..<50) { db, tag in
        let id = try insertProbe(db, tag)
        if tag == 25 { throw DeliberateFailure() }
        if tag == 30 { try db.run("INSERT INTO probe (tag) VALUES (NULL)") }
        return id
    }
    gate.open()
    try await held.value
    var failed: [Int] = []
    for (tag, task) in tasks.enumerated() {
        do {
            _ = try await task.value
        } catch is DeliberateFailure {
            failed.append(tag)
        } catch let error as SQLiteError where error.isConstraint {
            failed.append(tag)
        }
    }
    #expect(failed == [25, 30])
    #expect(try probeTags(database) == (0..<50).filter { $0 != 25 && $0 != 30 }.map(Int64.init),
            "a failed job left rows behind, or took others down")
    let after = database.statistics
    #expect(after.batchesCommitted - before.batchesCommitted == 2, "the gate, then all 50 in one batch")
    #expect(after.jobsFailed - before.jobsFailed == 2)
}

@Test func aFailedCommitReachesEveryCallerOfTheBatch() async throws {
    let (database, _) = try await makeProbeDatabase()
    defer { database.close() }
    try await database.write { db in
        try db.execute("""
            CREATE TABLE parent (id INTEGER PRIMARY KEY) STRICT;
            CREATE TABLE child (id INTEGER PRIMARY KEY,
                                parent_id INTEGER NOT NULL REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED) STRICT;
            """)
    }
    let (gate, held) = try await blockWriter(database)
    let before = database.statistics
    // The last job leaves a deferred foreign key unresolved: each statement succeeds, and
    // SQLite refuses only at COMMIT ("SQLite: Foreign Key Support" §4.2).
    let tasks = try await queueWrites(database, tags: 0..<10) { db, tag in
        _ = try insertProbe(db, tag)
        if tag == 9 { try db.run("INSERT INTO child (parent_id) VALUES (999)") }
    }
    gate.open()
    try await held.value
    for task in tasks {
        await #expect(throws: SQLiteError.self, "a caller was told its write succeeded although COMMIT failed") {
            try await task.value
        }
    }
    #expect(try probeTags(database).isEmpty)
    let after = database.statistics
    #expect(after.batchesFailed - before.batchesFailed == 1)
    #expect(after.jobsFailed - before.jobsFailed == 10)
    #expect(try await database.write { db in try insertProbe(db, 100) } > 0, "the writer recovers for the next batch")
    #expect(try probeTags(database) == [100])
}

@Test func whenSQLiteEndsTheTransactionTheEarlierJobsFailAndTheLaterOnesCommit() async throws {
    let (database, _) = try await makeProbeDatabase()
    defer { database.close() }
    let (gate, held) = try await blockWriter(database)
    // Job 4 ends the whole transaction, as SQLite itself does after SQLITE_FULL or an I/O error.
    let tasks = try await queueWritesInOrder(database, tags: 0..<10) { db, tag in
        _ = try insertProbe(db, tag)
        if tag == 4 { try db.execute("ROLLBACK") }
    }
    gate.open()
    try await held.value
    var succeeded: [Int] = []
    for (tag, task) in tasks.enumerated() {
        if (try? await task.value) != nil { succeeded.append(tag) }
    }
    #expect(succeeded == [5, 6, 7, 8, 9])
    #expect(try probeTags(database, .inserted) == [5, 6, 7, 8, 9])
}

// MARK: - Queue

@Test func aFullQueueRefusesAWriteAtOnceWithOverloaded() async throws {
    let (database, _) = try await makeProbeDatabase(limits: WriterLimits(queueCapacity: 4))
    defer { database.close() }
    let (gate, held) = try await blockWriter(database)
    let tasks = try await queueWrites(database, tags: 0..<4) { db, tag in try insertProbe(db, tag) }
    do {
        _ = try await database.write { db in try insertProbe(db, 99) }
        Issue.record("a write was accepted into a full queue")
    } catch StorageError.overloaded(let capacity) {
        #expect(capacity == 4)
    }
    #expect(database.statistics.jobsRefused == 1)
    gate.open()
    try await held.value
    for task in tasks { _ = try await task.value }
    #expect(try probeTags(database) == [0, 1, 2, 3])
}

@Test func jobsRunInTheOrderTheyWereSubmitted() async throws {
    let (database, _) = try await makeProbeDatabase()
    defer { database.close() }
    let (gate, held) = try await blockWriter(database)
    let tasks = try await queueWritesInOrder(database, tags: 0..<40) { db, tag in try insertProbe(db, tag) }
    gate.open()
    try await held.value
    for task in tasks { _ = try await task.value }
    #expect(try probeTags(database, .inserted) == (0..<40).map(Int64.init))
}

@Test func closeFinishesTheQueuedWritesAndRefusesNewOnes() async throws {
    let (database, directory) = try await makeProbeDatabase()
    let (gate, held) = try await blockWriter(database)
    let tasks = try await queueWrites(database, tags: 0..<20) { db, tag in try insertProbe(db, tag) }
    let closed = Mutex(false)
    let closer = Thread {
        database.close()
        closed.withLock { $0 = true }
    }
    closer.start()
    try await waitUntil("close() has begun") { !database.statistics.acceptsWrites }
    do {
        _ = try await database.write { db in try insertProbe(db, 99) }
        Issue.record("a write was accepted while closing")
    } catch StorageError.closed {}
    #expect(!closed.withLock { $0 }, "close() returned while writes were still queued")
    gate.open()
    try await held.value
    for task in tasks { _ = try await task.value }
    try await waitUntil("close() has returned") { closed.withLock { $0 } }
    let reopened = try Database(directory: directory)
    defer { reopened.close() }
    #expect(try probeTags(reopened) == (0..<20).map(Int64.init))
}
