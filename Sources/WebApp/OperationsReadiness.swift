import Foundation
import HTTPCore
import JSON
import Storage
import Synchronization

/// The answer of `/readyz`: whether this instance can do its work now, check by check.
///
/// - `database`: writable, meaning the writer accepts jobs (`DatabaseStatistics.acceptsWrites`)
///   and, within `OperationsHooks.writeProbeTimeout`, commits a transaction that really writes:
///   it rewrites the database header's `user_version` with the value it has (nothing reads
///   it; migrations are tracked in `schema_migrations`), which appends one page to the WAL and
///   syncs it ("SQLite: PRAGMA user_version", "SQLite: Write-Ahead Logging"). That is the path
///   every submission takes, so a lock held by another process, a read-only or immutable file,
///   an I/O error and a full queue all fail it. A full disk fails it only once the WAL must
///   grow: frames reused after a checkpoint need no new blocks, so a submission may still fit.
/// - `questionnaires`: at least one definition is loaded.
/// - `jobs`: the background jobs are attached, a pass finished within three intervals, and
///   that pass did not fail.
/// - `outbox`: fewer messages wait than `OperationsHooks.outboxBacklogLimit`.
///
/// The body is short JSON naming each check's state (`ok` or a word for the problem), never
/// an error text; 200 when every check passes, else 503.
struct OperationsReadiness: Sendable {
    /// One check: its name and its problem, nil when it passed.
    struct Check: Sendable, Equatable {
        let name: String
        let problem: String?
    }

    let checks: [Check]

    /// Whether every check passed.
    var isReady: Bool { checks.allSatisfy { $0.problem == nil } }

    /// `{"status":"ready","checks":{…}}` with 200, or `"not-ready"` with 503 (RFC 9110 §15.6.4).
    var response: HTTPResponse {
        let states = JSONObject(checks.map { ($0.name, JSON.string($0.problem ?? "ok")) })
        let body: JSON = ["status": .string(isReady ? "ready" : "not-ready"), "checks": .object(states)]
        var response = HTTPResponse.json(body.serialized() + "\n", status: isReady ? .ok : .serviceUnavailable)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// Runs every check now.
    static func evaluate(_ context: AppContext) async -> OperationsReadiness {
        let hooks = context.operations
        let database = await probeWrite(context.database, timeout: hooks.writeProbeTimeout)
        let backlog = try? context.database.read { try Outbox.backlog($0) }
        return OperationsReadiness(checks: [
            Check(name: "database", problem: database),
            Check(name: "questionnaires", problem: context.catalogue.all.isEmpty ? "none-loaded" : nil),
            Check(name: "jobs", problem: jobsProblem(hooks.jobs, now: context.clock())),
            Check(name: "outbox", problem: backlog.map { $0 < hooks.outboxBacklogLimit ? nil : "backlog" } ?? "unreadable"),
        ])
    }

    /// What is wrong with the background jobs, if anything.
    static func jobsProblem(_ jobs: (interval: Duration, status: OperationsHooks.JobsStatus)?, now: Date) -> String? {
        guard let (interval, status) = jobs else { return "not-running" }
        guard let lastPass = status.lastPassAt else { return "not-run-yet" }
        let allowed = 3 * (Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18)
        if now.timeIntervalSince(lastPass) > allowed { return "late" }
        return status.lastPassFailed ? "last-pass-failed" : nil
    }

    /// The write probe: nil when it committed in time, else a word for the problem (a
    /// `OperationsStorageFault` name, `closed`, `timeout`, or `error`).
    ///
    /// The probe is not cancelled by the timeout (a queued write cannot be taken back); it
    /// finishes on its own, and only its answer is no longer awaited.
    static func probeWrite(_ database: Database, timeout: Duration) async -> String? {
        guard database.statistics.acceptsWrites else { return "closed" }
        let answer = FirstAnswer()
        return await withCheckedContinuation { continuation in
            answer.expect(continuation)
            let timer = Task {
                try? await Task.sleep(for: timeout)
                answer.give("timeout")
            }
            Task {
                do {
                    try await database.write { db in
                        let version = try db.queryOne("PRAGMA user_version")?.int("user_version") ?? 0
                        try db.execute("PRAGMA user_version = \(version)")
                    }
                    answer.give(nil)
                } catch {
                    answer.give(OperationsStorageFault(error)?.rawValue ?? "error")
                }
                timer.cancel()
            }
        }
    }
}

/// Resumes one continuation with whichever answer comes first; later answers are dropped.
///
/// `Sendable` through its mutex: the continuation is taken out under the lock, so exactly one
/// caller of `give` resumes it.
private final class FirstAnswer: Sendable {
    private let waiting = Mutex<CheckedContinuation<String?, Never>?>(nil)

    func expect(_ continuation: CheckedContinuation<String?, Never>) {
        waiting.withLock { $0 = continuation }
    }

    func give(_ answer: String?) {
        waiting.withLock { waiting in
            defer { waiting = nil }
            return waiting
        }?.resume(returning: answer)
    }
}
