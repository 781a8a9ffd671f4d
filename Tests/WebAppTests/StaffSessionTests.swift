import Foundation
import HTTPCore
import Storage
import Testing
@testable import WebApp

@Suite struct StaffSessionTests {
    @Test func loginPageIsAFormWithLabelledFieldsAndALoginCookie() async throws {
        let app = try await StaffApp()
        let response = await app.request(.get, "/staff/login")
        #expect(response.status == .ok)
        #expect(response.text.contains("<label class=\"question__label\" for=\"username\">Brugernavn</label>"))
        #expect(response.text.contains("autocomplete=\"current-password\""))
        #expect(StaffApp.cookies(response)[StaffCookies.loginName]?.isEmpty == false)
        #expect(response.headers["Content-Security-Policy"]?.contains("unsafe-inline") == false)
        let english = await app.request(.get, "/staff/login?lang=en")
        #expect(english.text.contains("<html lang=\"en\">") && english.text.contains("Username"))
    }

    @Test func wrongPasswordAndUnknownUserGetTheSameGenericMessage() async throws {
        let app = try await StaffApp()
        let wrong = await app.login("karen", "forkert")
        let unknown = await app.login("ingen-saadan", "forkert")
        for response in [wrong, unknown] {
            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("Brugernavn eller adgangskode er forkert."))
            #expect(StaffApp.cookies(response)[StaffCookies.sessionName] == nil)
        }
        #expect(try app.context.database.read { db in try StaffSessions.count(db) } == 0)
    }

    @Test func loginSetsAHostOnlyStrictHttpOnlySecureCookieAndStoresOnlyItsHash() async throws {
        let app = try await StaffApp()
        let response = await app.login("karen", StaffApp.password)
        #expect(response.status == .seeOther)
        #expect(response.location == "/staff/worklist")
        let header = try #require(response.headers.values(for: "Set-Cookie").first { $0.hasPrefix("__Host-byneed-staff=") })
        for attribute in ["Path=/", "HttpOnly", "SameSite=Strict", "Secure"] { #expect(header.contains(attribute)) }
        #expect(!header.contains("Domain"))
        let id = try #require(StaffApp.cookies(response)["__Host-byneed-staff"])
        let stored = try app.context.database.read { db in
            try db.query("SELECT id_hash FROM staff_sessions").map { try $0.blob("id_hash") }
        }
        #expect(stored.count == 1 && stored[0] != Array(id.utf8))
    }

    @Test func loginIssuesANewSessionIDAndDropsTheOneTheBrowserBrought() async throws {
        let app = try await StaffApp()
        let first = try await app.signIn()
        let second = await app.login("karen", StaffApp.password, session: first.session)
        let renewed = try #require(StaffApp.cookies(second)[StaffCookies.sessionName])
        #expect(renewed != first.session)
        #expect(await first.get("/staff/worklist").status == .seeOther)
        let fresh = StaffBrowser(app: app, session: renewed, csrf: "")
        #expect(await fresh.get("/staff/worklist").status == .ok)
    }

    @Test func loginWithoutTheLoginFormsTokenIsRefused() async throws {
        let app = try await StaffApp()
        let response = await app.request(.post, "/staff/login", fields: [("username", "karen"), ("password", StaffApp.password)])
        #expect(response.status == .forbidden)
        #expect(try app.context.database.read { db in try StaffSessions.count(db) } == 0)
    }

    @Test(arguments: ["/staff/worklist", "/staff/enrol", "/staff/letters", "/staff/deliveries", "/staff/patients/1",
                      "/staff/patients/1/decide?subject=response-1"])
    func everyStaffPageNeedsASession(target: String) async throws {
        let app = try await StaffApp()
        let response = await app.request(.get, target)
        #expect(response.status == .seeOther)
        #expect(response.location == "/staff/login")
        let forged = await app.request(.get, target, cookies: [StaffCookies.sessionName: String(repeating: "A", count: 43)])
        #expect(forged.location == "/staff/login")
    }

    @Test func aSessionEndsAfterThirtyIdleMinutes() async throws {
        let app = try await StaffApp()
        let browser = try await app.signIn()
        app.clock.advance(by: 29 * 60)
        #expect(await browser.get("/staff/worklist").status == .ok)
        app.clock.advance(by: 29 * 60)
        #expect(await browser.get("/staff/worklist").status == .ok)
        app.clock.advance(by: 30 * 60)
        #expect(await browser.get("/staff/worklist").location == "/staff/login")
        #expect(try app.context.database.read { db in try StaffSessions.count(db) } == 0)
    }

    @Test func aSessionEndsTwelveHoursAfterSignInHoweverActive() async throws {
        let app = try await StaffApp()
        let browser = try await app.signIn()
        for _ in 0..<35 {
            app.clock.advance(by: 20 * 60)
            #expect(await browser.get("/staff/worklist").status == .ok)
        }
        app.clock.advance(by: 20 * 60)
        #expect(await browser.get("/staff/worklist").location == "/staff/login")
    }

    @Test func logoutDeletesTheSessionAndTheCookie() async throws {
        let app = try await StaffApp()
        let browser = try await app.signIn()
        let response = await browser.post("/staff/logout", [])
        #expect(response.status == .seeOther)
        #expect(response.headers.values(for: "Set-Cookie").contains { $0.hasPrefix("__Host-byneed-staff=;") && $0.contains("Max-Age=0") })
        #expect(await browser.get("/staff/worklist").location == "/staff/login")
    }

    @Test func logoutByGetIsNotARoute() async throws {
        let app = try await StaffApp()
        let browser = try await app.signIn()
        #expect(await browser.get("/staff/logout").status == .methodNotAllowed)
        #expect(await browser.get("/staff/worklist").status == .ok)
    }

    /// What a forged POST looks like: no token, a wrong token, another origin, another site.
    static let forgeries: [(name: String, csrf: String?, headers: [(String, String)])] = [
        ("missing token", nil, [("Origin", "http://localhost")]),
        ("wrong token", "x", [("Origin", "http://localhost")]),
        ("foreign origin", "valid", [("Origin", "https://evil.example")]),
        ("null origin without fetch metadata", "valid", [("Origin", "null")]),
        ("same-site fetch", "valid", [("Sec-Fetch-Site", "same-site")]),
        ("cross-site fetch", "valid", [("Sec-Fetch-Site", "cross-site")]),
    ]

    @Test(arguments: forgeries.indices)
    func forgedPostsAreRefusedAndChangeNothing(index: Int) async throws {
        let forgery = Self.forgeries[index]
        let app = try await StaffApp()
        let (_, enrolment) = try await app.enrol("Hanne Holm", cpr: "0101701234")
        let round = try await app.expireRound(enrolment)
        let browser = try await app.signIn()
        let token = forgery.csrf == "valid" ? browser.csrf : forgery.csrf
        let fields = (token.map { [("csrf", $0)] } ?? []) + [("subject", "round-\(round.rawValue)"), ("assignee", "me")]
        let response = await app.request(.post, "/staff/worklist/claim", fields: fields, cookies: browser.cookies, headers: forgery.headers)
        #expect(response.status == .forbidden, "\(forgery.name)")
        #expect(try app.context.database.read { db in try Claims.assignee(db, .round(round)) } == nil)
        let accepted = await browser.post("/staff/worklist/claim", [("subject", "round-\(round.rawValue)"), ("assignee", "me")])
        #expect(accepted.status == .seeOther)
        #expect(try app.context.database.read { db in try Claims.assignee(db, .round(round)) } == app.nurse.id)
    }

    /// Under `Referrer-Policy: no-referrer` a browser's own form POST carries `Origin: null`.
    @Test func aNullOriginWithSameOriginFetchMetadataIsAccepted() async throws {
        let app = try await StaffApp()
        let browser = try await app.signIn()
        let response = await browser.post("/staff/language", [("lang", "en")], headers: [("Origin", "null"), ("Sec-Fetch-Site", "same-origin")])
        #expect(response.status == .seeOther)
    }

    @Test func theLanguageSwitchIsAPostAndSticksToTheSession() async throws {
        let app = try await StaffApp()
        let browser = try await app.signIn()
        #expect(await browser.get("/staff/worklist").text.contains("Arbejdsliste"))
        let response = await browser.post("/staff/language", [("lang", "en"), ("back", "/staff/enrol")])
        #expect(response.location == "/staff/enrol")
        let page = await browser.get("/staff/worklist").text
        #expect(page.contains("<html lang=\"en\">") && page.contains("Worklist"))
    }

    @Test(arguments: [("/staff/enrol", "/staff/enrol"), ("https://evil.example/", "/staff/worklist"), ("//evil.example", "/staff/worklist"),
                      ("/staff//evil", "/staff/worklist")])
    func returnTargetsStayOnTheStaffPages(target: String, expected: String) {
        #expect(StaffPages.safeReturn(target) == expected)
    }
}
