import Foundation
import Synchronization

/// What the operations endpoints (`/readyz`, `/metrics`) need from outside the web layer: who
/// may read the metrics, the readiness limits, and live readings of the HTTP server and the
/// background jobs.
///
/// `WebApp` imports neither `HTTPServer` nor `Jobs`, so those readings arrive as closures. The
/// server and the jobs are made after the application that reports on them (the server needs
/// the application to start; the jobs need the port it bound for their links), so the readings
/// are attached once they exist, through ``attachServer(openConnections:)`` and
/// ``attachJobs(interval:status:)``; until then they are simply absent. Everything else is
/// fixed at start.
public final class OperationsHooks: Sendable {
    /// What the background jobs report about their last pass.
    public struct JobsStatus: Sendable, Hashable {
        /// When the last pass finished (by the application's clock); nil before the first.
        public var lastPassAt: Date?
        /// Whether anything in that pass failed.
        public var lastPassFailed: Bool

        public init(lastPassAt: Date?, lastPassFailed: Bool) {
            self.lastPassAt = lastPassAt
            self.lastPassFailed = lastPassFailed
        }
    }

    /// The background jobs' interval and status reading.
    struct Jobs: Sendable {
        let interval: Duration
        let status: @Sendable () -> JobsStatus
    }

    private struct Readings: Sendable {
        var openConnections: (@Sendable () -> Int)?
        var jobs: Jobs?
    }

    /// The bearer token that opens `/metrics` to clients other than loopback; nil: loopback only.
    public let metricsToken: String?
    /// The numeric address of the reverse proxy whose `X-Forwarded-For` is believed; nil: none is.
    public let trustedProxy: String?
    /// The outbox backlog (messages not yet delivered, `Outbox.backlog`) at which `/readyz`
    /// reports not ready. Default 1,000: far above what one pass leaves behind when delivery
    /// works (a pass sends up to 50 e-mails a minute), so reaching it means delivery has
    /// stopped for long, or letters wait unprinted for weeks.
    public let outboxBacklogLimit: Int
    /// How long `/readyz` waits for its write probe before calling the database not writable.
    /// Default 2 s: below the writer's 5 s busy timeout, so a database locked by another
    /// process shows as not ready instead of stalling the probe's caller.
    public let writeProbeTimeout: Duration
    /// How long one readiness result is reused. Default 1 s: `/readyz` costs one fsync, and
    /// polling it, however often, costs about one a second (callers arriving together while no
    /// fresh result exists each run the probe once).
    public let readinessReuse: Duration

    private let readings = Mutex(Readings())

    /// Settings with the documented defaults; an empty token counts as none.
    public init(metricsToken: String? = nil, trustedProxy: String? = nil, outboxBacklogLimit: Int = 1_000,
                writeProbeTimeout: Duration = .seconds(2), readinessReuse: Duration = .seconds(1)) {
        self.metricsToken = metricsToken?.isEmpty == false ? metricsToken : nil
        self.trustedProxy = trustedProxy.map(OperationsAccess.canonicalAddress)
        self.outboxBacklogLimit = outboxBacklogLimit
        self.writeProbeTimeout = writeProbeTimeout
        self.readinessReuse = readinessReuse
    }

    /// Whether `text` is a numeric IPv4 or IPv6 address, as `trustedProxy` must be: a host name
    /// would have to be resolved, and the peer addresses it is compared with are numbers.
    public static func isNumericAddress(_ text: String) -> Bool {
        OperationsAccess.isNumericAddress(text)
    }

    /// Connects the HTTP server's count of open connections (`HTTPServer.connectionCount`).
    public func attachServer(openConnections: @escaping @Sendable () -> Int) {
        readings.withLock { $0.openConnections = openConnections }
    }

    /// Connects the background jobs: the interval between passes and their status
    /// (`BackgroundJobs.status`). `/readyz` expects a pass at least every three intervals.
    public func attachJobs(interval: Duration, status: @escaping @Sendable () -> JobsStatus) {
        readings.withLock { $0.jobs = Jobs(interval: interval, status: status) }
    }

    /// The open connections now, when a server is attached.
    var openConnections: Int? {
        readings.withLock { $0.openConnections }?()
    }

    /// The jobs' interval and status now, when jobs are attached.
    var jobs: (interval: Duration, status: JobsStatus)? {
        readings.withLock { $0.jobs }.map { ($0.interval, $0.status()) }
    }
}
