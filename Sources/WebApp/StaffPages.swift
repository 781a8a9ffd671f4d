import Foundation
import HTTPCore
import Security
import SQLite
import Sharing
import Storage
import Templating

/// The clinician pages under `/staff/`: sign-in, the worklist, the patient overview, decisions,
/// enrolment, letters and deliveries.
///
/// Every page but the sign-in needs a session (else 303 to `/staff/login`); every POST also
/// needs the session's synchronizer token and a same-origin request (else 403, nothing
/// changed). A staff member sees only the patients of their own department. GETs change no
/// records (the session's last-seen time aside).
struct StaffPages: Sendable {
    let context: AppContext

    /// A request's signed-in staff member.
    struct SignedIn: Sendable {
        /// The cookie's session id (only its hash is stored).
        let sessionID: String
        let session: StaffSession
        let account: StaffAccount
        var language: Language { Language(code: session.language) ?? .danish }
    }

    /// Failures shown as pages.
    enum Failure: Error {
        case notFound
        /// The access policy refused: shown as `notFound`, recorded in the audit log.
        case denied(patient: PatientID?, data: DataKind, reason: String)
        case forbidden
        /// A change that does not fit the record's state (resuming what is not paused).
        case conflict
    }

    // MARK: Routes

    /// Adds every staff route to `router`.
    func register(in router: inout Router) {
        router.add(.get, "/staff") { _, _ in .redirect(to: "/staff/worklist") }
        router.add(.get, "/staff/login") { request, _ in await plain(request, route: "/staff/login") { try loginPage(request) } }
        router.add(.post, "/staff/login") { request, _ in await plain(request, route: "/staff/login") { try await login(request) } }
        router.add(.post, "/staff/login/code") { request, _ in await plain(request, route: "/staff/login/code") { try await verifyCode(request) } }
        func add(_ method: HTTPMethod, _ template: String, _ handler: @escaping Handler) {
            router.add(method, template) { request, parameters in
                await guarded(request, route: template) { signedIn in try await handler(self, request, signedIn, parameters) }
            }
        }
        /// The department's own work lists name patients without going through one patient's
        /// access decision, so only its health professionals reach them (analysts and
        /// administrators get 404, as for any person-level page they may not see).
        func addDepartmentWork(_ method: HTTPMethod, _ template: String, _ handler: @escaping Handler) {
            add(method, template) { pages, request, signedIn, parameters in
                guard Self.seesPersonLevel(signedIn) else { throw Failure.notFound }
                return try await handler(pages, request, signedIn, parameters)
            }
        }
        add(.post, "/staff/logout") { pages, request, user, _ in try await pages.logout(request, user) }
        add(.post, "/staff/language") { pages, request, user, _ in try await pages.changeLanguage(request, user) }
        addDepartmentWork(.get, "/staff/worklist") { pages, request, user, _ in try pages.worklist(request, user) }
        addDepartmentWork(.post, "/staff/worklist/claim") { pages, request, user, _ in try await pages.claim(request, user) }
        addDepartmentWork(.post, "/staff/worklist/acknowledge") { pages, request, user, _ in try await pages.acknowledge(request, user) }
        add(.get, "/staff/patients/:id") { try await $0.patientOverview($1, $2, id: $3["id"]) }
        add(.post, "/staff/patients/:id/enrolments/:enrolment") {
            try await $0.changeEnrolment($1, $2, id: $3["id"], enrolment: $3["enrolment"])
        }
        add(.get, "/staff/patients/:id/decide") { try await $0.decisionPage($1, $2, id: $3["id"]) }
        add(.post, "/staff/patients/:id/decide") { try await $0.decide($1, $2, id: $3["id"]) }
        addDepartmentWork(.get, "/staff/enrol") { pages, request, user, _ in try pages.enrolPage(request, user) }
        addDepartmentWork(.post, "/staff/enrol") { pages, request, user, _ in try await pages.enrol(request, user) }
        addDepartmentWork(.get, "/staff/letters") { pages, request, user, _ in try pages.letters(request, user) }
        addDepartmentWork(.get, "/staff/letters/:id") { try await $0.letter($1, $2, id: $3["id"]) }
        addDepartmentWork(.post, "/staff/letters/:id/posted") { try await $0.markPosted($1, $2, id: $3["id"]) }
        addDepartmentWork(.get, "/staff/deliveries") { pages, request, user, _ in try pages.deliveries(request, user) }
        add(.get, "/staff/push") { pages, request, user, _ in try pages.pushPage(request, user) }
        add(.get, "/staff/push/:id") { try $0.pushHistoryPage($1, $2, id: $3["id"]) }
        add(.get, "/staff/plans") { pages, request, user, _ in try pages.plansPage(request, user) }
        add(.get, "/staff/shared") { pages, request, user, _ in try pages.sharedPatients(request, user) }
        addDepartmentWork(.get, "/staff/emergency") { pages, request, user, _ in try pages.emergencyPage(request, user) }
        addDepartmentWork(.post, "/staff/emergency") { pages, request, user, _ in try await pages.breakGlass(request, user) }
        addDepartmentWork(.get, "/staff/emergency/review") { pages, request, user, _ in try pages.emergencyReview(request, user) }
        add(.post, "/staff/patients/:id/paper") { try await $0.startPaperEntry($1, $2, id: $3["id"]) }
        // Population overview and automatic lists (issue 8).
        add(.get, "/staff/population") { pages, request, user, _ in try await pages.populationPage(request, user, csv: false) }
        add(.get, "/staff/population.csv") { pages, request, user, _ in try await pages.populationPage(request, user, csv: true) }
        add(.get, "/staff/lists") { pages, request, user, _ in try await pages.listsPage(request, user) }
        add(.post, "/staff/lists") { pages, request, user, _ in try await pages.saveList(request, user) }
        add(.get, "/staff/lists/:id") { try await $0.savedListPage($1, $2, id: $3["id"]) }
    }

    /// A staff page handler: the pages, the request, who is signed in, the route's parameters.
    typealias Handler = @Sendable (StaffPages, HTTPRequest, SignedIn, RouteParameters) async throws -> HTTPResponse

    // MARK: Sign-in

    /// The sign-in form with a fresh double-submit token in a cookie and a hidden field. A failed
    /// attempt is shown again with 422, like every refused form here (a 401 would need a
    /// `WWW-Authenticate` challenge, RFC 9110 §15.5.2, which form sign-in does not have).
    func loginPage(_ request: HTTPRequest, failure: StaffText? = nil, username: String = "") throws -> HTTPResponse {
        let language = Language(code: request.queryItems().first { $0.name == "lang" }?.value) ?? .danish
        let token = SecretToken.generate()
        let content: TemplateValue = .object([
            "t": StaffText.labels(language), "csrf": .string(token), "username": .string(username),
            "hasError": .bool(failure != nil), "errorText": .string(failure?.text(language) ?? ""), "lang": .string(language.rawValue),
        ])
        var response = try render("staff/login", title: StaffText.signIn.text(language), content: content, language: language,
                                  signedIn: nil, status: failure != nil ? .unprocessableContent : .ok)
        response.headers.add("Set-Cookie", StaffCookies.header(name: StaffCookies.loginName, value: token, maxAge: 3600))
        return response
    }

    /// Checks the password, then either asks for the one-time code (an account with a TOTP
    /// secret) or starts a new session. An unknown user, a wrong password and a locked username
    /// or address all cost one PBKDF2 verification and get the same message (OWASP
    /// Authentication Cheat Sheet), and each counts as a failure.
    func login(_ request: HTTPRequest) async throws -> HTTPResponse {
        let fields = FormData.decode(request.body)
        let field = { (name: String) in fields.first { $0.name == name }?.value ?? "" }
        guard Self.carriesLoginFormToken(request, field("csrf")) else { throw Failure.forbidden }
        let language = Language(code: field("lang")) ?? .danish
        let username = field("username").trimmingCharacters(in: .whitespaces)
        let password = field("password")
        let now = context.clock()
        let keys = attemptKeys(username: username, request)
        let (account, locked, hasSecondFactor) = try context.database.read { db in
            let account = try StaffAccounts.find(db, username: username)
            return (account, try Self.isLocked(db, keys, now: now), try account.map { try StaffAccounts.totp(db, $0.id) != nil } ?? false)
        }
        let encoded = account?.passwordHash
        let verified = await Self.offCooperativePool {
            encoded.map { PasswordHash.verify(password: password, encoded: $0) } ?? PasswordHash.verifyUnknownUser(password: password)
        }
        guard verified, !locked, let account else {
            try await recordRefusal(account: account, keys: keys, locked: locked, reason: "wrong-password", now: now)
            return try loginPage(HTTPRequest(method: .get, target: "/staff/login?lang=\(language.rawValue)"), failure: .signInFailed,
                                 username: username)
        }
        if hasSecondFactor { return try await startSecondFactor(request, account: account, language: language) }
        guard let response = try await startSession(request, account: account, language: language, totpStep: nil) else {
            throw Failure.conflict
        }
        return response
    }

    /// Runs CPU-bound work (PBKDF2 takes a good part of a second by design) on a GCD thread, so
    /// it does not hold one of the few threads that serve every other request.
    static func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }

    func logout(_ request: HTTPRequest, _ signedIn: SignedIn) async throws -> HTTPResponse {
        let id = signedIn.sessionID
        try await context.database.write { db in try StaffSessions.delete(db, id: id) }
        var response = HTTPResponse.redirect(to: "/staff/login?lang=\(signedIn.language.rawValue)")
        response.headers.add("Set-Cookie", StaffCookies.header(name: StaffCookies.sessionName, value: "", maxAge: 0))
        return response
    }

    func changeLanguage(_ request: HTTPRequest, _ signedIn: SignedIn) async throws -> HTTPResponse {
        let fields = FormData.decode(request.body)
        let language = Language(code: fields.first { $0.name == "lang" }?.value) ?? .danish
        let id = signedIn.sessionID
        try await context.database.write { db in try StaffSessions.setLanguage(db, id: id, language: language.rawValue) }
        return .redirect(to: Self.safeReturn(fields.first { $0.name == "back" }?.value))
    }

    /// The session a request's cookie opens, after the idle and absolute timeouts; records the
    /// activity. An expired session is deleted.
    func signedIn(_ request: HTTPRequest) async throws -> SignedIn? {
        guard let id = StaffCookies.value(StaffCookies.sessionName, in: request), PatientPages.isWellFormedToken(id) else { return nil }
        let now = context.clock()
        return try await context.database.write { db -> SignedIn? in
            guard let session = try StaffSessions.find(db, id: id) else { return nil }
            guard now.timeIntervalSince(session.lastSeenAt) < StaffCookies.idleTimeout,
                  now.timeIntervalSince(session.createdAt) < StaffCookies.absoluteTimeout,
                  let account = try StaffAccounts.find(db, id: session.staffID) else {
                try StaffSessions.delete(db, id: id)
                return nil
            }
            try StaffSessions.touch(db, id: id, now: now)
            return SignedIn(sessionID: id, session: session, account: account)
        }
    }

    // MARK: Guards

    /// Runs a staff handler: no session → 303 to the login; a POST without the session's token
    /// or from another origin → 403; failures → pages.
    func guarded(_ request: HTTPRequest, route: String, _ body: (SignedIn) async throws -> HTTPResponse) async -> HTTPResponse {
        await plain(request, route: route) {
            guard let signedIn = try await signedIn(request) else { return .redirect(to: "/staff/login") }
            if request.method == .post {
                let token = FormData.decode(request.body).first { $0.name == "csrf" }?.value ?? ""
                guard Self.isSameOrigin(request),
                      constantTimeEquals(Array(token.utf8), Array(signedIn.session.csrfToken.utf8)) else {
                    throw Failure.forbidden
                }
            }
            do {
                return try await body(signedIn)
            } catch Failure.notFound {
                return try messagePage(.notFoundTitle, .notFoundText, language: signedIn.language, signedIn: signedIn, status: .notFound)
            } catch Failure.denied(let patient, let data, let reason) {
                try await auditDenial(signedIn, patient: patient, data: data, reason: reason, route: route)
                return try messagePage(.notFoundTitle, .notFoundText, language: signedIn.language, signedIn: signedIn, status: .notFound)
            } catch Failure.conflict {
                return try messagePage(.conflictTitle, .conflictText, language: signedIn.language, signedIn: signedIn,
                                       status: HTTPStatus(code: 409))
            }
        }
    }

    /// Turns failures into pages with words; an unexpected error is logged under an incident id.
    func plain(_ request: HTTPRequest, route: String, _ body: () async throws -> HTTPResponse) async -> HTTPResponse {
        do {
            return try await body()
        } catch {
            do {
                switch error {
                case Failure.forbidden:
                    context.log.message("staff-request-forbidden", ["route": route])
                    return try messagePage(.forbiddenTitle, .forbiddenText, language: .danish, signedIn: nil, status: .forbidden)
                case Failure.notFound:
                    return try messagePage(.notFoundTitle, .notFoundText, language: .danish, signedIn: nil, status: .notFound)
                default:
                    let incident = Hex.encode(SecureRandom.bytes(6))
                    context.log.incident(incident, route: route, error: error)
                    return .text("Der skete en fejl / Something went wrong: \(incident)\n", status: .internalServerError)
                }
            } catch {
                return .text("Internal error.\n", status: .internalServerError)
            }
        }
    }

    /// A state-changing request must come from our own pages: `Sec-Fetch-Site`, when sent,
    /// must say same-origin (or a user action), and an `Origin` must name this host (OWASP CSRF
    /// Prevention Cheat Sheet, "Fetch Metadata headers", "Verifying Origin With Standard
    /// Headers"). Our pages send `Referrer-Policy: no-referrer`, under which browsers send
    /// `Origin: null` on every form POST (Fetch Standard, "serializing a request origin"), so
    /// `null` is accepted only when fetch metadata vouches for the request.
    static func isSameOrigin(_ request: HTTPRequest) -> Bool {
        let site = request.headers["Sec-Fetch-Site"]?.lowercased()
        if let site, site != "same-origin", site != "none" { return false }
        guard let origin = request.headers["Origin"] else { return true }
        if origin == "null" { return site != nil }
        guard let host = request.headers["Host"] else { return false }
        return origin == "https://\(host)" || origin == "http://\(host)"
    }

    /// Where to return after a POST: a path on the staff pages, else the worklist (no open redirect).
    static func safeReturn(_ target: String?) -> String {
        guard let target, target.hasPrefix("/staff/"), !target.contains("//"), !target.contains("\\") else { return "/staff/worklist" }
        return target
    }

    // MARK: Rendering

    func messagePage(_ title: StaffText, _ text: StaffText, language: Language, signedIn: SignedIn?,
                     status: HTTPStatus) throws -> HTTPResponse {
        let content: TemplateValue = .object(["title": .string(title.text(language)), "paragraphs": .array([.string(text.text(language))])])
        return try render("patient/message", title: title.text(language), content: content, language: language,
                          signedIn: signedIn, status: status)
    }

    /// Renders a staff template into the staff layout.
    func render(_ template: String, title: String, content: TemplateValue, language: Language, signedIn: SignedIn?,
                status: HTTPStatus = .ok, current: String? = nil, back: String = "/staff/worklist") throws -> HTTPResponse {
        let body = try context.templates.render(template, content)
        var layout: [String: TemplateValue] = [
            "lang": .string(language.rawValue),
            "title": .string(title),
            "content": .html(body),
            "t": StaffText.labels(language),
            "stylesheet": .string(context.assets.url("app.css")),
            "staffStylesheet": .string(context.assets.url("staff.css")),
            "printStylesheet": .string(context.assets.url("print.css")),
            "otherLanguage": .string(language.other.rawValue),
            "otherLanguageName": .string(Strings.otherLanguageName.text(language.other)),
        ]
        if let signedIn {
            let staffLinks: [(String, StaffText)] = [("/staff/worklist", .worklist), ("/staff/shared", .sharedTitle),
                                                     ("/staff/emergency", .emergencyTitle), ("/staff/enrol", .enrolTitle), ("/staff/plans", .plansTitle),
                                                     ("/staff/letters", .lettersTitle), ("/staff/deliveries", .deliveriesTitle)]
            let links: [(String, String)] = staffLinks.map { ($0.0, $0.1.text(language)) }
                // Population overview and automatic lists (issue 8); lists only for person-level viewers.
                + [("/staff/population", PopulationText.populationTitle.text(language))]
                + (Self.seesPersonLevel(signedIn) ? [("/staff/lists", PopulationText.listsTitle.text(language))] : [])
                + (signedIn.account.role == "administrator" ? [("/staff/push", StaffText.pushTitle.text(language))] : [])
            layout["user"] = .object([
                "name": .string(signedIn.account.displayName),
                "csrf": .string(signedIn.session.csrfToken),
                "back": .string(back),
                "nav": .array(links.map { .object(["href": .string($0.0), "label": .string($0.1),
                                                   "current": .bool($0.0 == current)]) }),
            ])
        } else {
            layout["switchLanguageURL"] = .string("/staff/login?lang=\(language.other.rawValue)")
        }
        let page = try context.templates.render("staff/layout", .object(layout))
        return .html(page.string, status: status)
    }

    // MARK: Shared look-ups


    /// Dates and times as clinicians read them, in the department's time zone.
    func format(_ language: Language) -> StaffFormat {
        StaffFormat(language: language, timeZone: context.timeZone)
    }
}
