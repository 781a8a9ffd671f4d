import Foundation
import HTTPCore
import JSON
import SQLite
import Storage
import Testing
@testable import WebApp

/// A `TestApp` whose application carries operations hooks.
struct OperationsTestApp {
    let base: TestApp
    let app: WebApplication
    let hooks: OperationsHooks

    init(_ hooks: OperationsHooks = OperationsHooks(readinessReuse: .zero), database: Database? = nil) throws {
        base = try TestApp(database: database)
        let shared = base.context
        let context = AppContext(database: shared.database, catalogue: shared.catalogue, plans: shared.plans,
                                 templates: shared.templates, assets: shared.assets, clock: shared.clock,
                                 timeZone: shared.timeZone, log: shared.log, operations: hooks)
        app = WebApplication(context: context)
        self.hooks = hooks
    }

    var database: Database { base.context.database }

    /// Attaches jobs that last passed `age` seconds ago (by the test clock) with `failed`.
    func attachJobs(interval: Duration = .seconds(60), lastPassAgo age: TimeInterval?, failed: Bool = false) {
        let clock = base.clock
        let lastPass = age.map { clock.now.addingTimeInterval(-$0) }
        hooks.attachJobs(interval: interval) { OperationsHooks.JobsStatus(lastPassAt: lastPass, lastPassFailed: failed) }
    }

    func get(_ target: String, from peer: String = "127.0.0.1", headers: [(String, String)] = []) async -> HTTPResponse {
        await app.respond(to: HTTPRequest(method: .get, target: target, headers: HTTPHeaders(headers + [("Host", "localhost")]),
                                          remoteAddress: peer))
    }

    func post(_ target: String, _ fields: [(String, String)]) async -> HTTPResponse {
        let body = fields.map { "\(TestApp.formEncode($0.0))=\(TestApp.formEncode($0.1))" }.joined(separator: "&")
        return await app.respond(to: HTTPRequest(method: .post, target: target,
                                                 headers: ["Host": "localhost", "Content-Type": "application/x-www-form-urlencoded"],
                                                 body: Array(body.utf8), remoteAddress: "127.0.0.1"))
    }

    /// The states of `/readyz`'s checks, and its status.
    func readiness() async throws -> (status: HTTPStatus, checks: [String: String]) {
        let response = await get("/readyz")
        let body = try JSON.parse(response.body)
        let checks = try #require(body["checks"]?.objectValue)
        return (response.status, Dictionary(uniqueKeysWithValues: checks.map { ($0.key, $0.value.stringValue ?? "") }))
    }
}

@Suite struct OperationsReadinessTests {
    @Test func healthzAnswersWithoutCheckingAnything() async throws {
        let app = try OperationsTestApp()
        app.database.close()
        let response = await app.get("/healthz", from: "198.51.100.4")
        #expect(response.status == .ok)
        #expect(response.text == "{\"status\":\"ok\"}\n")
    }

    @Test func readyWhenEveryCheckPassesAndTheProbeReallyCommits() async throws {
        let app = try OperationsTestApp()
        app.attachJobs(lastPassAgo: 30)
        let before = app.database.statistics.jobsCommitted
        let (status, checks) = try await app.readiness()
        #expect(status == .ok)
        #expect(checks == ["database": "ok", "questionnaires": "ok", "jobs": "ok", "outbox": "ok"])
        #expect(app.database.statistics.jobsCommitted == before + 1, "the probe is a committed write job")
        let response = await app.get("/readyz", from: "198.51.100.4")
        #expect(response.status == .ok, "readiness is open to any client")
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(response.text.hasPrefix("{\"status\":\"ready\""))
    }

    @Test(arguments: [
        (nil, TimeInterval?.none, false, "not-running"),
        (Duration.seconds(60), TimeInterval?.none, false, "not-run-yet"),
        (Duration.seconds(60), TimeInterval?(181), false, "late"),
        (Duration.seconds(60), TimeInterval?(179), true, "last-pass-failed"),
        (Duration.seconds(1), TimeInterval?(4), false, "late"),
    ] as [(Duration?, TimeInterval?, Bool, String)])
    func backgroundJobsMustHaveRunRecentlyAndCleanly(_ interval: Duration?, _ age: TimeInterval?, _ failed: Bool,
                                                     _ problem: String) async throws {
        let app = try OperationsTestApp()
        if let interval { app.attachJobs(interval: interval, lastPassAgo: age, failed: failed) }
        let (status, checks) = try await app.readiness()
        #expect(status == .serviceUnavailable)
        #expect(checks["jobs"] == problem)
        #expect(checks["database"] == "ok")
    }

    @Test func aClosedDatabaseIsNotReady() async throws {
        let app = try OperationsTestApp()
        app.attachJobs(lastPassAgo: 1)
        app.database.close()
        let (status, checks) = try await app.readiness()
        #expect(status == .serviceUnavailable)
        #expect(checks["database"] == "closed")
        #expect(checks["outbox"] == "unreadable")
    }

    @Test func aDatabaseLockedByAnotherProcessIsNotReadyUntilTheLockIsReleased() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("byneed-ops-\(UUID().uuidString)").path
        let database = try Database(directory: directory, busyTimeout: .milliseconds(100))
        defer { database.close() }
        let app = try OperationsTestApp(OperationsHooks(writeProbeTimeout: .seconds(60), readinessReuse: .zero), database: database)
        app.attachJobs(lastPassAgo: 1)
        let other = try Connection(path: database.path)
        try other.execute("BEGIN EXCLUSIVE")
        let (locked, lockedChecks) = try await app.readiness()
        try other.execute("ROLLBACK")
        #expect(locked == .serviceUnavailable)
        #expect(lockedChecks["database"] == "busy")
        let (released, _) = try await app.readiness()
        #expect(released == .ok)
    }

    @Test func aProbeThatDoesNotCommitInTimeIsNotReady() async throws {
        let app = try OperationsTestApp(OperationsHooks(writeProbeTimeout: .milliseconds(50), readinessReuse: .zero))
        app.attachJobs(lastPassAgo: 1)
        let other = try Connection(path: app.database.path)
        try other.execute("BEGIN EXCLUSIVE")
        let (status, checks) = try await app.readiness()
        try other.execute("ROLLBACK")
        #expect(status == .serviceUnavailable)
        #expect(checks["database"] == "timeout")
    }

    @Test func aLongOutboxBacklogIsNotReady() async throws {
        let app = try OperationsTestApp(OperationsHooks(outboxBacklogLimit: 2, readinessReuse: .zero))
        app.attachJobs(lastPassAgo: 1)
        let now = app.base.clock.now
        let enqueue: @Sendable () async throws -> Void = {
            try await app.database.write { db in
                let patient = try DemoData.ensure(db)
                try Outbox.enqueue(db, purpose: .invitation, channel: .letter, patientID: patient.id, roundID: nil, recipient: nil,
                                   message: OutboxMessage(subject: "s", text: "t", html: "h"), now: now)
            }
        }
        try await enqueue()
        #expect(try await app.readiness().checks["outbox"] == "ok")
        try await enqueue()
        let (status, checks) = try await app.readiness()
        #expect(status == .serviceUnavailable)
        #expect(checks["outbox"] == "backlog")
    }

    @Test func oneReadinessResultIsReusedWithinItsWindow() async throws {
        let app = try OperationsTestApp(OperationsHooks(readinessReuse: .seconds(3_600)))
        app.attachJobs(lastPassAgo: 1)
        let before = app.database.statistics.jobsCommitted
        _ = try await app.readiness()
        _ = try await app.readiness()
        #expect(app.database.statistics.jobsCommitted == before + 1, "the second call wrote nothing")
    }
}
