import Delivery
import Foundation
import HTTPServer
import Jobs
import Questionnaire
import Storage
import Templating
import WebApp

/// `byneed serve`: checks every definition and template, opens the database, and serves
/// until SIGTERM or SIGINT, then drains in-flight requests and closes the database.
enum ServeCommand: Command {
    static let valueOptions: Set<String> = CommonOptions.paths.union([
        "host", "port", "public-url", "smtp-host", "smtp-port", "mail-from", "jobs-interval", "send-hour", "audit-retention-days",
        "metrics-token", "trusted-proxy",
    ])
    static let flagOptions: Set<String> = ["demo", "insecure-cookies"]
    static let help = """
        usage: byneed serve [--host HOST] [--port PORT] [--data-dir DIR] [--questionnaires DIR]
                            [--templates DIR] [--public DIR] [--public-url URL] [--demo]
                            [--metrics-token TOKEN] [--trusted-proxy ADDR]

          --host             address to bind (default 127.0.0.1: TLS ends at a reverse proxy)
          --port             TCP port (default 8080; 0 picks a free one)
          --data-dir         folder of the SQLite database (default ./data)
          --questionnaires   folder of FHIR R4 Questionnaire JSON files (default ./Questionnaires)
          --templates        folder of HTML templates (default ./Templates)
          --public           folder of static files (default ./Public)
          --public-url       the address patients use, in links in messages (default http://HOST:PORT)
          --smtp-host        mail relay for invitations and reminders (none: e-mail waits in the outbox)
          --smtp-port        the relay's port (default 25)
          --mail-from        sender address of messages (default byneed@localhost)
          --jobs-interval    seconds between background passes: follow-up plans, then the outbox (default 60)
          --send-hour        local hour (0-23) invitations and reminders go out (default 8)
          --audit-retention-days  how long audit rows are kept (default 1826, five years)
          --insecure-cookies staff cookies without Secure and the __Host- prefix: only for plain-http
                             runs on loopback (development, tests); behind TLS never use it
          --demo             create a demo department and patient, and print a fresh patient link
          --metrics-token    bearer token that opens /metrics to clients other than loopback
                             (prefer BYNEED_METRICS_TOKEN: arguments are visible to every user in ps)
          --trusted-proxy    numeric address of the reverse proxy whose X-Forwarded-For is believed
                             (docs/reverse-proxy.md)

        Every option can also be set as an environment variable: BYNEED_HOST, BYNEED_PORT, …
        """

    static func run(_ options: Options) async throws -> Int32 {
        let host = options.string("host", default: "127.0.0.1")
        let port = try options.integer("port", default: 8080, range: 0...65_535)
        let catalogue = try QuestionnaireCatalogue.load(directory: CommonOptions.questionnaires(options))
        let templates = try TemplateLibrary.load(directory: CommonOptions.templates(options))
        let assets = try StaticAssets.load(directory: CommonOptions.publicFolder(options))
        let database = try Database(directory: CommonOptions.dataDirectory(options))
        defer { database.close() }

        let plans = try CommonOptions.plans(options, catalogue: catalogue)
        let trustedProxy = options.optionalString("trusted-proxy")
        if let trustedProxy, !OperationsHooks.isNumericAddress(trustedProxy) {
            throw Options.UsageError(description: "--trusted-proxy must be a numeric IP address, not '\(trustedProxy)'")
        }
        let operations = OperationsHooks(metricsToken: options.optionalString("metrics-token"), trustedProxy: trustedProxy)
        let context = AppContext(database: database, catalogue: catalogue, plans: plans, templates: templates, assets: assets,
                                 operations: operations)
        var configuration = HTTPServerConfiguration()
        configuration.host = host
        configuration.port = port
        StaffCookies.secure = !options.flag("insecure-cookies")
        let server = HTTPServer(configuration: configuration, responder: WebApplication(context: context))
        let signals = try TerminationSignal.install()
        let boundPort = try server.start()
        operations.attachServer { server.connectionCount }
        let publicURL = options.string("public-url", default: "http://\(host.contains(":") ? "[\(host)]" : host):\(boundPort)")
        say("Listening on http://\(host.contains(":") ? "[\(host)]" : host):\(boundPort)")
        let jobsInterval = Duration.seconds(try options.integer("jobs-interval", default: 60, range: 1...86_400))
        let backgroundJobs = try backgroundJobs(options, context: context, publicURL: publicURL)
        operations.attachJobs(interval: jobsInterval) {
            let status = backgroundJobs.status
            return OperationsHooks.JobsStatus(lastPassAt: status.lastRunAt, lastPassFailed: status.lastFailure != nil)
        }
        let jobs = backgroundJobs.start(every: jobsInterval)
        defer { jobs.cancel() }
        if options.flag("demo") {
            for (label, token) in try await demoLinks(database, catalogue) {
                say("\(label): \(publicURL)/q/\(token)")
            }
        }
        await server.run(until: signals)
        return 0
    }

    /// The follow-up and outbox passes, with the relay when one is configured.
    private static func backgroundJobs(_ options: Options, context: AppContext, publicURL: String) throws -> BackgroundJobs {
        let composer = MessageComposer(publicBaseURL: publicURL, timeZone: context.timeZone)
        let runner = FollowUpRunner(plans: context.plans, catalogue: context.catalogue, composer: composer,
                                    sendHour: try options.integer("send-hour", default: 8, range: 0...23))
        var delivery: OutboxDelivery?
        if let relayHost = options.optionalString("smtp-host") {
            let from = try MailAddress(options.string("mail-from", default: "byneed@localhost"))
            let relay = try SMTPRelay(host: relayHost, port: try options.integer("smtp-port", default: 25, range: 1...65_535),
                                      heloName: String(from.domain))
            delivery = OutboxDelivery(relay: relay, from: from, messageIDDomain: String(from.domain))
        }
        let log = context.log
        let retentionDays = try options.integer("audit-retention-days", default: 1_826, range: 30...36_500)
        return BackgroundJobs(database: context.database, runner: runner, delivery: delivery, clock: context.clock,
                              auditRetention: TimeInterval(retentionDays) * 86_400, hooks: FHIRPush.delivery()) { event, fields in
            log.message(event, fields)
        }
    }

    /// Ensures the demo patient exists and gives them a fresh invitation to each shipped demo
    /// questionnaire. Tokens are stored only as hashes, so a link can be printed only when it
    /// is made: every start with --demo makes new ones.
    private static func demoLinks(_ database: Database, _ catalogue: QuestionnaireCatalogue) async throws -> [(String, String)] {
        let wanted = [("Patient link", "http://byneed.dk/fhir/Questionnaire/demo-all-types"),
                      ("WHO-5 link", "http://byneed.dk/fhir/Questionnaire/who5")]
        let definitions = wanted.compactMap { label, url in catalogue.latest(url: url).map { (label, $0.url, $0.version) } }
        let now = Date()
        return try await database.write { db in
            let patient = try DemoData.ensure(db)
            return try definitions.map { label, url, version in
                (label, try Invitations.create(db, patientID: patient.id, questionnaireURL: url,
                                               questionnaireVersion: version, now: now, validFor: .seconds(30 * 86_400)).token)
            }
        }
    }
}
