import FollowUp
import Foundation
import HTTPCore
import Questionnaire
import Security
import Storage
import Templating
import Testing
@testable import WebApp

/// The web application with the shipped plans, a department, two nurses and helpers to sign in
/// and to store follow-up histories directly through Storage.
struct StaffApp {
    static let password = "korrekt hest batteri"
    static let copd = "copd-followup"

    let app: WebApplication
    let context: AppContext
    let clock: TestClock
    let department: Department
    let nurse: StaffAccount
    let colleague: StaffAccount

    init() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("byneed-staff-\(UUID().uuidString)").path
        let clock = TestClock(Date(timeIntervalSince1970: 1_795_000_000))
        self.clock = clock
        let database = try Database(directory: directory)
        let catalogue = try QuestionnaireCatalogue.load(directory: Repository.path("Questionnaires"))
        let plans = try PlanLoader.load(directory: Repository.path("Questionnaires/plans")) { url, version in
            catalogue.definition(url: url, version: version) != nil
        }
        context = AppContext(database: database, catalogue: catalogue, plans: plans,
                             templates: try TemplateLibrary.load(directory: Repository.path("Templates"), strict: true),
                             assets: try StaticAssets.load(directory: Repository.path("Public")),
                             clock: { clock.now }, log: EventLog { _ in })
        app = WebApplication(context: context)
        let hash = PasswordHash(password: Self.password, iterations: 1_000).encoded
        let now = clock.now
        (department, nurse, colleague) = try await database.write { db in
            let department = try Departments.insert(db, sorCode: DemoData.departmentSOR, name: DemoData.departmentName,
                                                    phone: DemoData.departmentPhone)
            let other = try Departments.insert(db, sorCode: "111111111111111", name: "Anden afdeling", phone: "1")
            _ = try StaffAccounts.create(db, username: "fremmed", displayName: "Fremmed Sygeplejerske", departmentID: other.id,
                                         role: "health-professional", passwordHash: hash, now: now)
            return (department,
                    try StaffAccounts.create(db, username: "karen", displayName: "Karen Nielsen", departmentID: department.id,
                                             role: "health-professional", passwordHash: hash, now: now),
                    try StaffAccounts.create(db, username: "ole", displayName: "Ole Hansen", departmentID: department.id,
                                             role: "health-professional", passwordHash: hash, now: now))
        }
    }

    // MARK: Requests

    func request(_ method: HTTPMethod, _ target: String, fields: [(String, String)] = [], cookies: [String: String] = [:],
                 headers extra: [(String, String)] = []) async -> HTTPResponse {
        var headers: HTTPHeaders = ["Host": "localhost"]
        if !cookies.isEmpty { headers.add("Cookie", cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        if method == .post { headers.add("Content-Type", "application/x-www-form-urlencoded") }
        for (name, value) in extra { headers.add(name, value) }
        let body = fields.map { "\(TestApp.formEncode($0.0))=\(TestApp.formEncode($0.1))" }.joined(separator: "&")
        return await app.respond(to: HTTPRequest(method: method, target: target, headers: headers, body: Array(body.utf8)))
    }

    /// Posts the login form as a browser would: first the form (which sets the login cookie), then the POST.
    func login(_ username: String, _ password: String, session: String? = nil) async -> HTTPResponse {
        let form = await request(.get, "/staff/login")
        let loginCookie = Self.cookies(form)[StaffCookies.loginName] ?? ""
        var cookies = [StaffCookies.loginName: loginCookie]
        if let session { cookies[StaffCookies.sessionName] = session }
        return await request(.post, "/staff/login", fields: [("csrf", loginCookie), ("username", username), ("password", password)],
                             cookies: cookies)
    }

    /// Signs `account` in and returns a browser holding its session.
    func signIn(_ username: String = "karen") async throws -> StaffBrowser {
        let response = await login(username, Self.password)
        let session = try #require(Self.cookies(response)[StaffCookies.sessionName])
        let csrf = try #require(try context.database.read { db in try StaffSessions.find(db, id: session) }?.csrfToken)
        return StaffBrowser(app: self, session: session, csrf: csrf)
    }

    /// The name=value pairs of a response's `Set-Cookie` headers.
    static func cookies(_ response: HTTPResponse) -> [String: String] {
        var cookies: [String: String] = [:]
        for header in response.headers.values(for: "Set-Cookie") {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            cookies[String(pair[0])] = pair.count > 1 ? String(pair[1]) : ""
        }
        return cookies
    }

    // MARK: Fixtures

    /// A patient of `department` (the nurses' own by default) enrolled in the COPD plan.
    @discardableResult
    func enrol(_ name: String, cpr: String, in departmentID: DepartmentID? = nil, start: CalendarDay? = nil) async throws -> (Patient, StoredEnrolment) {
        let now = clock.now
        let departmentID = departmentID ?? department.id
        let start = start ?? CalendarDay(now, in: context.timeZone).adding(days: -30)
        let plan = try #require(context.latestPlan(id: Self.copd))
        return try await context.database.write { db in
            let patient = try Patients.insert(db, cpr: cpr, name: name, language: "da", departmentID: departmentID,
                                              contact: PatientContact(email: "p@example.org"))
            let enrolment = try Enrolments.enrol(db, patientID: patient.id, departmentID: departmentID, planID: plan.id,
                                                 planVersion: plan.version, startDate: start, actor: "test", now: now)
            return (patient, enrolment)
        }
    }

    /// Sends the next round of `enrolment` and answers it now: the COPD questionnaire with the
    /// mMRC option `mmrc`, `admitted` (yellow when true) and the KRAM questionnaire empty.
    @discardableResult
    func answerRound(_ patient: Patient, _ enrolment: StoredEnrolment, mmrc: Int = 0, admitted: Bool = false) async throws -> [ResponseID] {
        let now = clock.now
        let plan = try #require(context.plan(id: enrolment.planID, version: enrolment.planVersion))
        let definitions = try plan.questionnaires.map { try #require(context.catalogue.definition(reference: $0.reference)) }
        let copd = try #require(context.catalogue.latest(url: "http://byneed.dk/fhir/Questionnaire/copd-followup"))
        func option(_ linkId: String, _ index: Int) -> [AnswerValue] { [copd.item(linkId: linkId)!.answerOptions[index].value] }
        let copdAnswers = ResponseAnswers(["mmrc": option("mmrc", mmrc), "treatment-courses": option("treatment-courses", 0),
                                           "admitted": [.boolean(admitted)], "sputum-colour": option("sputum-colour", 0),
                                           "more-breathless-now": [.boolean(false)], "contact-wish": option("contact-wish", 0)])
        return try await context.database.write { db in
            let number = try Rounds.all(db, enrolment.id).count + 1
            let round = try Rounds.send(db, enrolment.id, number: number, dueDate: CalendarDay(now, in: TimeZone.gmt),
                                        expiresAt: now.addingTimeInterval(14 * 86_400), now: now)
            var ids: [ResponseID] = []
            for definition in definitions {
                let invitation = try Invitations.create(db, patientID: patient.id, questionnaireURL: definition.url,
                                                        questionnaireVersion: definition.version, now: now,
                                                        expiresAt: now.addingTimeInterval(14 * 86_400), roundID: round).invitation
                let answers = definition.url == copd.url ? copdAnswers : ResponseAnswers()
                if case .stored(let id) = try Responses.submit(db, invitation: invitation, patient: patient, definition: definition,
                                                               answers: answers, resourceID: UUID().uuidString, now: now) {
                    ids.append(id)
                }
            }
            try Rounds.closeIfAnswered(db, round, now: now)
            return ids
        }
    }

    /// Sends the next round of `enrolment` and lets it expire unanswered now.
    @discardableResult
    func expireRound(_ enrolment: StoredEnrolment, colour: TriageColour = .yellow) async throws -> RoundID {
        let now = clock.now
        return try await context.database.write { db in
            let number = try Rounds.all(db, enrolment.id).count + 1
            let round = try Rounds.send(db, enrolment.id, number: number, dueDate: CalendarDay(now, in: TimeZone.gmt),
                                        expiresAt: now, now: now.addingTimeInterval(-14 * 86_400))
            try Rounds.expire(db, round, colour: colour, level: 1, now: now)
            return round
        }
    }

    func decisions(_ patient: Patient) throws -> [Decision] {
        try context.database.read { db in try Decisions.forPatient(db, patient.id) }
    }
}

/// A signed-in browser: its session cookie and the session's form token.
struct StaffBrowser {
    let app: StaffApp
    let session: String
    let csrf: String

    var cookies: [String: String] { [StaffCookies.sessionName: session] }

    func get(_ target: String) async -> HTTPResponse {
        await app.request(.get, target, cookies: cookies)
    }

    /// A same-origin form POST with the session's token added.
    func post(_ target: String, _ fields: [(String, String)], headers: [(String, String)] = [("Origin", "http://localhost")]) async -> HTTPResponse {
        await app.request(.post, target, fields: [("csrf", csrf)] + fields, cookies: cookies, headers: headers)
    }
}
