import FollowUp
import Foundation
import HTTPCore
import Questionnaire
import Storage
import Synchronization
import Templating
import WebApp

/// The repository's own folders, so tests exercise the shipped questionnaires and templates.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static func path(_ folder: String) -> String { root.appendingPathComponent(folder).path }
}

/// Log lines a test can read back.
final class LogCapture: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ line: String) { storage.withLock { $0.append(line) } }
    var lines: [String] { storage.withLock { $0 } }
}

/// A clock that tests move by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// The web application on a fresh database, with the demo patient, a moveable clock and a
/// captured log.
struct TestApp {
    static let who5 = "http://byneed.dk/fhir/Questionnaire/who5"
    static let allTypes = "http://byneed.dk/fhir/Questionnaire/demo-all-types"

    let app: WebApplication
    let context: AppContext
    let clock: TestClock
    let logs = LogCapture()

    /// A fresh app; `questionnaires` replaces the shipped folder, `database` shares one.
    init(questionnaires: String = Repository.path("Questionnaires"), database: Database? = nil) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("byneed-web-\(UUID().uuidString)").path
        let clock = TestClock(Date(timeIntervalSince1970: 1_795_000_000))
        self.clock = clock
        let database = try database ?? Database(directory: directory)
        let log = EventLog { [logs] line in logs.append(line) }
        let catalogue = try QuestionnaireCatalogue.load(directory: questionnaires)
        // The shipped plans name shipped questionnaires; a test's own folder gets none.
        let plans = questionnaires == Repository.path("Questionnaires")
            ? try PlanLoader.load(directory: Repository.path("Questionnaires/plans")) { catalogue.definition(url: $0, version: $1) != nil }
            : []
        context = AppContext(database: database, catalogue: catalogue, plans: plans,
                             templates: try TemplateLibrary.load(directory: Repository.path("Templates")),
                             assets: try StaticAssets.load(directory: Repository.path("Public")),
                             clock: { clock.now }, log: log)
        app = WebApplication(context: context)
    }

    /// Invites the demo patient to the newest version of `url`; returns the link token.
    func invite(_ url: String, validFor seconds: Int = 14 * 86_400) async throws -> String {
        let definition = try definition(url)
        let now = clock.now
        return try await context.database.write { db in
            let patient = try DemoData.ensure(db)
            return try Invitations.create(db, patientID: patient.id, questionnaireURL: definition.url,
                                          questionnaireVersion: definition.version, now: now,
                                          validFor: .seconds(seconds)).token
        }
    }

    func definition(_ url: String) throws -> QuestionnaireDefinition {
        guard let definition = context.catalogue.latest(url: url) else { throw MissingDefinition(url: url) }
        return definition
    }

    func get(_ target: String, headers: HTTPHeaders = [:]) async -> HTTPResponse {
        var all = headers
        all.set("Host", "localhost")
        return await app.respond(to: HTTPRequest(method: .get, target: target, headers: all))
    }

    func post(_ target: String, _ fields: [(String, String)]) async -> HTTPResponse {
        let body = fields.map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&")
        return await app.respond(to: HTTPRequest(method: .post, target: target,
                                                 headers: ["Host": "localhost",
                                                           "Content-Type": "application/x-www-form-urlencoded"],
                                                 body: Array(body.utf8)))
    }

    func responseCount() throws -> Int {
        try context.database.read { db in try Responses.count(db) }
    }

    func storedResources() throws -> [String] {
        try context.database.read { db in
            try db.query("SELECT resource_json FROM questionnaire_responses ORDER BY id").map { try $0.string("resource_json") }
        }
    }

    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

struct MissingDefinition: Error { let url: String }

extension HTTPResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
    var location: String? { headers["Location"] }
}
