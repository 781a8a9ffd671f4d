import FollowUp
import Foundation
import HTTPCore
import Questionnaire
import Storage
import Templating

/// Everything the web layer needs, built and checked at start, then never changed.
public struct AppContext: Sendable {
    public let database: Database
    public let catalogue: QuestionnaireCatalogue
    /// The departments' follow-up plans (`Questionnaires/plans/`), every version.
    public let plans: [FollowUpPlan]
    public let templates: TemplateLibrary
    public let assets: StaticAssets
    /// The only clock: handlers read `now` from here so tests can move time.
    public let clock: @Sendable () -> Date
    /// The time zone patients' local times are read in (Europe/Copenhagen).
    public let timeZone: TimeZone
    /// Where log lines go (stdout in the server, a buffer in tests).
    public let log: EventLog
    /// Settings and live readings for `/readyz` and `/metrics` (none attached by default).
    public let operations: OperationsHooks

    public init(database: Database, catalogue: QuestionnaireCatalogue, plans: [FollowUpPlan] = [], templates: TemplateLibrary,
                assets: StaticAssets, clock: @escaping @Sendable () -> Date = { Date() },
                timeZone: TimeZone = TimeZone(identifier: "Europe/Copenhagen") ?? .gmt,
                log: EventLog = .standardOutput, operations: OperationsHooks = OperationsHooks()) {
        self.database = database
        self.catalogue = catalogue
        self.plans = plans
        self.templates = templates
        self.assets = assets
        self.clock = clock
        self.timeZone = timeZone
        self.log = log
        self.operations = operations
    }

    /// The plan with this id and version, if loaded.
    public func plan(id: String, version: String) -> FollowUpPlan? {
        plans.first { $0.id == id && $0.version == version }
    }

    /// The newest version of a plan: the one new enrolments get.
    public func latestPlan(id: String) -> FollowUpPlan? {
        plans.filter { $0.id == id }.max { $0.version.compare($1.version, options: .numeric) == .orderedAscending }
    }
}

/// The web application: the router with every route, wrapped in the headers and error
/// handling every response gets. It is what the HTTP server calls.
public struct WebApplication: HTTPResponder {
    private let router: Router
    private let context: AppContext
    private let metrics = MetricsRecorder()

    public init(context: AppContext) {
        self.context = context
        let pages = PatientPages(context: context)
        var router = Router()
        router.add(.get, "/") { _, _ in
            HTTPResponse.text("ByNeed\n")
        }
        // MARK: Operations routes
        let operations = OperationsEndpoints(context: context, recorder: metrics)
        router.add(.get, "/healthz") { request, _ in operations.health(request) }
        router.add(.get, "/readyz") { request, _ in await operations.ready(request) }
        router.add(.get, "/metrics") { request, _ in operations.metrics(request) }
        router.add(.get, "/static/*path") { request, _ in
            context.assets.respond(to: request)
        }
        let patientRoutes: [(HTTPMethod, String, @Sendable (PatientPages, HTTPRequest, String) async throws -> HTTPResponse)] = [
            (.get, "/q/:token", { try await $0.show($1, token: $2) }),
            (.post, "/q/:token", { try await $0.savePage($1, token: $2) }),
            (.post, "/q/:token/submit", { try await $0.submit($1, token: $2) }),
            (.get, "/q/:token/receipt", { try await $0.receipt($1, token: $2) }),
            (.get, "/q/:token/contact", { try await $0.contactForm($1, token: $2) }),
            (.post, "/q/:token/contact", { try await $0.requestContact($1, token: $2) }),
            (.get, "/q/:token/sharing", { try await $0.sharingPage($1, token: $2) }),
            (.post, "/q/:token/sharing", { try await $0.changeSharing($1, token: $2) }),
            (.get, "/q/:token/access-log", { try await $0.accessLog($1, token: $2) }),
        ]
        for (method, template, handler) in patientRoutes {
            router.add(method, template) { request, parameters in
                await pages.guarded(request, route: template) {
                    try await handler(pages, request, parameters["token"] ?? "")
                }
            }
        }
        // MARK: Staff routes
        StaffPages(context: context).register(in: &router)
        // MARK: End of staff routes
        // MARK: FHIR API routes
        FHIRAPI(context: context).register(in: &router)
        self.router = router
    }

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        let started = ContinuousClock.now
        let match = router.match(request)
        let answer: HTTPResponse
        if let match {
            answer = await match.handler(request, match.parameters)
        } else {
            answer = await router.respond(to: request)
        }
        let response = SecurityHeaders.apply(to: answer)
        let route = match?.template ?? "unmatched"
        let duration = ContinuousClock.now - started
        context.log.request(method: request.method.rawValue, route: route, status: response.status.code, duration: duration)
        metrics.record(method: request.method, route: route, status: response.status.code, duration: duration)
        return response
    }
}

/// Headers every response gets, and those every HTML page gets.
enum SecurityHeaders {
    /// No inline script or style anywhere, nothing from other origins, forms post only here,
    /// and no framing (clickjacking).
    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    static func apply(to response: HTTPResponse) -> HTTPResponse {
        var response = response
        response.headers.set("X-Content-Type-Options", "nosniff")
        response.headers.set("Referrer-Policy", "no-referrer")
        if response.headers["Content-Type"]?.hasPrefix("text/html") == true {
            response.headers.set("Content-Security-Policy", contentSecurityPolicy)
            response.headers.set("X-Frame-Options", "DENY")
            if !response.headers.contains("Cache-Control") {
                response.headers.set("Cache-Control", "no-store")
            }
        }
        return response
    }
}
