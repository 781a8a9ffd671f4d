import Foundation
import HTTPCore
import Synchronization

/// The endpoints for operators and their tools: `/healthz` (the process answers), `/readyz`
/// (it can do its work: `OperationsReadiness`) and `/metrics` (Prometheus text, for loopback
/// or the bearer token: `OperationsAccess`).
///
/// `/healthz` and `/readyz` reveal nothing about patients and stay open, so an orchestrator's
/// probe needs no credential; the reverse proxy does not forward any of the three
/// (`docs/reverse-proxy.md`).
struct OperationsEndpoints: Sendable {
    let context: AppContext
    let recorder: MetricsRecorder
    private let lastReadiness = ReadinessCache()

    init(context: AppContext, recorder: MetricsRecorder) {
        self.context = context
        self.recorder = recorder
    }

    /// 200 whenever the process can answer at all; it checks nothing else on purpose, so a
    /// supervisor restarts the process only when it is truly stuck.
    func health(_ request: HTTPRequest) -> HTTPResponse {
        var response = HTTPResponse.json("{\"status\":\"ok\"}\n")
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// 200 or 503 with the checks' states; one evaluation is reused for
    /// `OperationsHooks.readinessReuse`, so callers cannot multiply the probe's fsyncs.
    func ready(_ request: HTTPRequest) async -> HTTPResponse {
        let now = ContinuousClock.now
        if let reused = lastReadiness.value(notOlderThan: context.operations.readinessReuse, now: now) {
            return reused.response
        }
        let readiness = await OperationsReadiness.evaluate(context)
        lastReadiness.store(readiness, at: ContinuousClock.now)
        return readiness.response
    }

    /// The metrics page for clients `OperationsAccess` allows; 401 with a Bearer challenge
    /// (RFC 6750 §3) or 403 for the others.
    func metrics(_ request: HTTPRequest) -> HTTPResponse {
        let access = OperationsAccess(token: context.operations.metricsToken, trustedProxy: context.operations.trustedProxy)
        switch access.decide(request) {
        case .allowed:
            var response = HTTPResponse(status: .ok, headers: ["Content-Type": MetricsExposition.contentType],
                                        body: Array(metricsPage().utf8))
            response.headers.set("Cache-Control", "no-store")
            return response
        case .unauthorized:
            var response = HTTPResponse.text("Unauthorized: /metrics needs the metrics token.\n", status: .unauthorized)
            response.headers.set("WWW-Authenticate", "Bearer realm=\"byneed-metrics\"")
            return response
        case .forbidden:
            return .text("Forbidden: /metrics answers loopback clients only.\n", status: .forbidden)
        }
    }
}

/// The last readiness result and when it was made.
///
/// `Sendable` through its mutex, which guards the only stored state.
private final class ReadinessCache: Sendable {
    private let stored = Mutex<(at: ContinuousClock.Instant, readiness: OperationsReadiness)?>(nil)

    func value(notOlderThan age: Duration, now: ContinuousClock.Instant) -> OperationsReadiness? {
        stored.withLock { stored in
            guard let stored, now - stored.at < age else { return nil }
            return stored.readiness
        }
    }

    func store(_ readiness: OperationsReadiness, at instant: ContinuousClock.Instant) {
        stored.withLock { $0 = (instant, readiness) }
    }
}
