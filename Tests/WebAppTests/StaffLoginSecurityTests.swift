import Foundation
import HTTPCore
import Security
import Storage
import Testing
@testable import WebApp

/// The sign-in hardening of issue 5: the TOTP second step and the failure limits.
@Suite struct StaffLoginSecurityTests {
    // MARK: Second factor

    @Test func aRightPasswordThenARightCodeStartsASessionAndThePasswordAloneDoesNot() async throws {
        let app = try await StaffApp()
        let totp = try await app.enrolTOTP("karen")
        let password = await app.passwordStep("karen", StaffApp.password)
        #expect(password.response.status == .ok)
        #expect(password.response.text.contains("autocomplete=\"one-time-code\""))
        #expect(password.cookies[StaffCookies.sessionName] == nil)
        #expect(try app.sessionCount() == 0)
        let code = await app.codeStep(password.cookies, code: try #require(totp.code(at: app.clock.now)))
        #expect(code.status == .seeOther)
        #expect(code.location == "/staff/worklist")
        let session = try #require(StaffApp.cookies(code)[StaffCookies.sessionName])
        #expect(await StaffBrowser(app: app, session: session, csrf: "").get("/staff/worklist").status == .ok)
    }

    @Test func aWrongCodeGetsTheGenericMessageNoSessionAndAnAuditEntry() async throws {
        let app = try await StaffApp()
        let totp = try await app.enrolTOTP("karen")
        let right = try #require(totp.code(at: app.clock.now))
        let wrong = String(right.map { $0 == "9" ? "0" : Character(String(Int(String($0))! + 1)) })
        let password = await app.passwordStep("karen", StaffApp.password)
        let response = await app.codeStep(password.cookies, code: wrong)
        #expect(response.status == .unprocessableContent)
        #expect(response.text.contains("Koden er forkert eller allerede brugt."))
        #expect(StaffApp.cookies(response)[StaffCookies.sessionName] == nil)
        #expect(try app.sessionCount() == 0)
        #expect(try app.loginAudit() == ["wrong-code"])
    }

    @Test func aCodeIsAcceptedOnceAndItsReplayIsRefused() async throws {
        let app = try await StaffApp()
        let totp = try await app.enrolTOTP("karen")
        let code = try #require(totp.code(at: app.clock.now))
        let first = await app.codeStep(await app.passwordStep("karen", StaffApp.password).cookies, code: code)
        #expect(first.status == .seeOther)
        let replay = await app.codeStep(await app.passwordStep("karen", StaffApp.password).cookies, code: code)
        #expect(replay.status == .unprocessableContent)
        #expect(StaffApp.cookies(replay)[StaffCookies.sessionName] == nil)
        #expect(try app.sessionCount() == 1)
    }

    @Test func theCodeOfThePreviousStepIsAcceptedOnce() async throws {
        let app = try await StaffApp()
        let totp = try await app.enrolTOTP("karen")
        let previous = try #require(totp.code(step: totp.step(at: app.clock.now) - 1))
        let first = await app.codeStep(await app.passwordStep("karen", StaffApp.password).cookies, code: previous)
        #expect(first.status == .seeOther)
        let again = await app.codeStep(await app.passwordStep("karen", StaffApp.password).cookies, code: previous)
        #expect(again.status == .unprocessableContent)
    }

    @Test func aCodeTwoStepsOldIsRefused() async throws {
        let app = try await StaffApp()
        let totp = try await app.enrolTOTP("karen")
        let old = try #require(totp.code(step: totp.step(at: app.clock.now) - 2))
        let response = await app.codeStep(await app.passwordStep("karen", StaffApp.password).cookies, code: old)
        #expect(response.status == .unprocessableContent)
    }

    @Test func aPendingSecondStepExpiresAfterFiveMinutes() async throws {
        let app = try await StaffApp()
        let totp = try await app.enrolTOTP("karen")
        let password = await app.passwordStep("karen", StaffApp.password)
        app.clock.advance(by: 5 * 60)
        let response = await app.codeStep(password.cookies, code: try #require(totp.code(at: app.clock.now)))
        #expect(response.status == .unprocessableContent)
        #expect(response.text.contains("Det tog for lang tid. Log ind igen."))
        #expect(response.text.contains("autocomplete=\"current-password\""))
        #expect(try app.sessionCount() == 0)
    }

    @Test func theCodeStepNeedsThePendingCookieAndTheFormToken() async throws {
        let app = try await StaffApp()
        let totp = try await app.enrolTOTP("karen")
        let password = await app.passwordStep("karen", StaffApp.password)
        let code = try #require(totp.code(at: app.clock.now))
        var withoutPending = password.cookies
        withoutPending[StaffPages.pendingCookieName] = nil
        #expect(await app.codeStep(withoutPending, code: code).status == .unprocessableContent)
        let forged = await app.request(.post, "/staff/login/code", fields: [("csrf", "x"), ("code", code)], cookies: password.cookies)
        #expect(forged.status == .forbidden)
        #expect(try app.sessionCount() == 0)
    }

    @Test func anAccountWithoutASecretStillSignsInWithThePasswordAlone() async throws {
        let app = try await StaffApp()
        _ = try await app.enrolTOTP("ole")
        #expect(await app.login("karen", StaffApp.password).status == .seeOther)
    }

    // MARK: Lockout

    @Test func fiveFailuresLockAnExistingAndAnUnknownUsernameAlikeUntilTheWindowPasses() async throws {
        let app = try await StaffApp()
        var responses: [String: [HTTPResponse]] = [:]
        for username in ["karen", "ingen-saadan"] {
            for _ in 0..<StaffPages.maximumFailuresPerUsername { responses[username, default: []].append(await app.login(username, "forkert")) }
            responses[username, default: []].append(await app.login(username, username == "karen" ? StaffApp.password : "forkert"))
        }
        let known = try #require(responses["karen"]), unknown = try #require(responses["ingen-saadan"])
        for (existing, missing) in zip(known, unknown) {
            #expect(existing.status == .unprocessableContent && missing.status == .unprocessableContent)
            #expect(Self.comparable(existing, username: "karen") == Self.comparable(missing, username: "ingen-saadan"))
            #expect(StaffApp.cookies(existing)[StaffCookies.sessionName] == nil)
        }
        #expect(try app.sessionCount() == 0)
        #expect(try app.loginAudit() == Array(repeating: "wrong-password", count: 5) + ["locked"])
        app.clock.advance(by: StaffPages.failureWindow - 60)
        #expect(await app.login("karen", StaffApp.password).status == .unprocessableContent)
        app.clock.advance(by: 61)
        #expect(await app.login("karen", StaffApp.password).status == .seeOther)
    }

    @Test func wrongCodesCountTowardsTheLockout() async throws {
        let app = try await StaffApp()
        let totp = try await app.enrolTOTP("karen")
        let password = await app.passwordStep("karen", StaffApp.password)
        for _ in 0..<StaffPages.maximumFailuresPerUsername { _ = await app.codeStep(password.cookies, code: "000000") }
        let right = await app.codeStep(password.cookies, code: try #require(totp.code(at: app.clock.now)))
        #expect(right.status == .unprocessableContent)
        #expect(try app.sessionCount() == 0)
        #expect(await app.passwordStep("karen", StaffApp.password).response.text.contains("autocomplete=\"current-password\""))
    }

    @Test func aSuccessfulSignInResetsTheUsernamesFailures() async throws {
        let app = try await StaffApp()
        for _ in 0..<(StaffPages.maximumFailuresPerUsername - 1) { _ = await app.login("karen", "forkert") }
        #expect(await app.login("karen", StaffApp.password).status == .seeOther)
        for _ in 0..<(StaffPages.maximumFailuresPerUsername - 1) { _ = await app.login("karen", "forkert") }
        #expect(await app.login("karen", StaffApp.password).status == .seeOther)
    }

    @Test func anAddressIsLockedAfterItsHigherCapWhateverTheUsernames() async throws {
        let app = try await StaffApp()
        let address = "192.0.2.7"
        for attempt in 0..<StaffPages.maximumFailuresPerAddress {
            let response = await app.login("gaet-\(attempt % 5)", "forkert", address: address)
            #expect(response.status == .unprocessableContent)
        }
        #expect(await app.login("karen", StaffApp.password, address: address).status == .unprocessableContent)
        #expect(await app.login("karen", StaffApp.password, address: "192.0.2.8").status == .seeOther)
    }

    @Test func aForwardedHeaderFromAnUntrustedPeerDoesNotDodgeTheAddressCap() async throws {
        let app = try await StaffApp()
        for attempt in 0..<StaffPages.maximumFailuresPerAddress {
            _ = await app.login("gaet-\(attempt % 5)", "forkert", address: "192.0.2.7", forwardedFor: "198.51.100.\(attempt)")
        }
        #expect(await app.login("karen", StaffApp.password, address: "192.0.2.7", forwardedFor: "203.0.113.1").status
            == .unprocessableContent)
    }

    @Test func usernamesAreCountedCaseInsensitively() async throws {
        let app = try await StaffApp()
        for attempt in 0..<StaffPages.maximumFailuresPerUsername { _ = await app.login(attempt.isMultiple(of: 2) ? "KAREN" : "karen ", "forkert") }
        #expect(await app.login("karen", StaffApp.password).status == .unprocessableContent)
    }

    /// A response's body without what may differ between two requests: the form token and the echoed username.
    static func comparable(_ response: HTTPResponse, username: String) -> String {
        let token = StaffApp.cookies(response)[StaffCookies.loginName] ?? ""
        return response.text.replacingOccurrences(of: token, with: "TOKEN").replacingOccurrences(of: "value=\"\(username)\"", with: "value=\"USER\"")
    }
}

// MARK: Helpers

extension StaffApp {
    /// Gives `username` a fresh TOTP secret and returns its generator.
    func enrolTOTP(_ username: String) async throws -> TOTP {
        let secret = TOTP.generateSecret()
        try await context.database.write { db in
            let account = try #require(try StaffAccounts.find(db, username: username))
            try StaffAccounts.setTOTPSecret(db, account.id, secret)
        }
        return TOTP(secret: secret)
    }

    /// The login form's POST from a client `address`, with an `X-Forwarded-For` header if given.
    func login(_ username: String, _ password: String, address: String, forwardedFor: String? = nil) async -> HTTPResponse {
        let form = await request(.get, "/staff/login")
        let token = Self.cookies(form)[StaffCookies.loginName] ?? ""
        let body = [("csrf", token), ("username", username), ("password", password)]
            .map { "\(TestApp.formEncode($0.0))=\(TestApp.formEncode($0.1))" }.joined(separator: "&")
        var headers: HTTPHeaders = ["Host": "localhost", "Cookie": "\(StaffCookies.loginName)=\(token)",
                                    "Content-Type": "application/x-www-form-urlencoded"]
        if let forwardedFor { headers.add("X-Forwarded-For", forwardedFor) }
        return await app.respond(to: HTTPRequest(method: .post, target: "/staff/login", headers: headers, body: Array(body.utf8),
                                                 remoteAddress: address))
    }

    /// The password step: its response and the cookies the browser then holds.
    func passwordStep(_ username: String, _ password: String) async -> (response: HTTPResponse, cookies: [String: String]) {
        let response = await login(username, password)
        return (response, Self.cookies(response))
    }

    /// Posts a code with the form token and pending sign-in in `cookies`.
    func codeStep(_ cookies: [String: String], code: String) async -> HTTPResponse {
        await request(.post, "/staff/login/code", fields: [("csrf", cookies[StaffCookies.loginName] ?? ""), ("code", code)],
                      cookies: cookies)
    }

    func sessionCount() throws -> Int {
        try context.database.read { db in try StaffSessions.count(db) }
    }

    /// The outcomes of the audit log's refused sign-ins, oldest first.
    func loginAudit() throws -> [String] {
        try context.database.read { db in
            try db.query("SELECT outcome FROM audit_events WHERE what = 'login' AND action = 'denied' ORDER BY id").map { try $0.string("outcome") }
        }
    }
}
