import Foundation
import HTTPCore
import Security
import SQLite
import Storage
import Templating

/// Sign-in hardening (issue 5): the TOTP second step (RFC 6238) and rate limiting with a
/// lockout that looks the same for known and unknown usernames (OWASP Authentication Cheat
/// Sheet, "Login Throttling", "Authentication and Error Messages").
///
/// Accounts without a TOTP secret sign in with the password alone; `byneed staff totp` gives an
/// account a secret, after which a right password leads to a code step instead of a session.
extension StaffPages {
    // MARK: Limits

    /// Failures per username within `failureWindow` after which that username is locked (5).
    static let maximumFailuresPerUsername = 5
    /// Failures per client address within `failureWindow` after which that address is locked
    /// (20: higher, as colleagues may share an address).
    static let maximumFailuresPerAddress = 20
    /// The window failures are counted in, which is also how long a lockout lasts: until the
    /// failures in it age out (15 minutes).
    static let failureWindow: TimeInterval = 15 * 60
    /// How long a right password waits for its one-time code (5 minutes).
    static let pendingLoginLifetime: TimeInterval = 5 * 60

    /// The cookie naming a sign-in that waits for its code (host-only and `Secure` like the others).
    static var pendingCookieName: String { StaffCookies.secure ? "__Host-byneed-login-pending" : "byneed-login-pending" }

    // MARK: Attempts

    /// What a sign-in attempt's failure is counted against: the username as typed (known or not)
    /// and the client address. Behind the `--trusted-proxy` that is the address the proxy
    /// appended to `X-Forwarded-For` (as for `/metrics`, `OperationsAccess.clientAddress`);
    /// otherwise the TCP peer, never a forwarded header a client could vary to dodge the cap.
    func attemptKeys(username: String, _ request: HTTPRequest) -> [LoginAttempts.Key] {
        let access = OperationsAccess(token: nil, trustedProxy: context.operations.trustedProxy)
        let address = access.clientAddress(request) ?? request.remoteAddress.map(OperationsAccess.canonicalAddress)
        return [.username(username)] + (address.map { [.address($0)] } ?? [])
    }

    /// Whether any key has reached its limit within the window before `now`.
    static func isLocked(_ db: Connection, _ keys: [LoginAttempts.Key], now: Date) throws -> Bool {
        let since = now.addingTimeInterval(-failureWindow)
        for key in keys {
            let limit = if case .username = key { maximumFailuresPerUsername } else { maximumFailuresPerAddress }
            if try LoginAttempts.failures(db, key, since: since) >= limit { return true }
        }
        return false
    }

    /// Records a refused attempt: counted (unless already locked, so a lockout ends when the
    /// window passes), written to the audit log for an existing account, and logged without
    /// naming an unknown username.
    func recordRefusal(account: StaffAccount?, keys: [LoginAttempts.Key], locked: Bool, reason: String, now: Date) async throws {
        let window = Self.failureWindow
        try await context.database.write { db in
            if !locked { try LoginAttempts.recordFailure(db, keys, now: now, keepingSince: now.addingTimeInterval(-window)) }
            if let account {
                let sor = try Departments.find(db, id: account.departmentID)?.sorCode
                try AuditLog.append(db, AuditEntry(at: now, actorKind: .staff, actorID: String(account.id.rawValue),
                                                   actorRole: account.role, organisationSOR: sor, patientID: nil, action: .denied,
                                                   what: "login", outcome: locked ? "locked" : reason))
            }
        }
        var fields = ["reason": locked ? "locked" : reason]
        if let account { fields["staff"] = String(account.id.rawValue) }
        context.log.message(locked ? "staff-login-locked" : "staff-login-failed", fields)
    }

    // MARK: Sessions

    /// Starts a session with a new id for `account` (deleting the one the browser brought: no
    /// session fixation) and resets the username's failures. With `totpStep`, the step is
    /// stored in the same transaction and a step already used starts nothing (nil).
    func startSession(_ request: HTTPRequest, account: StaffAccount, language: Language, totpStep: Int?) async throws -> HTTPResponse? {
        let previous = StaffCookies.value(StaffCookies.sessionName, in: request)
        let now = context.clock()
        let created = try await context.database.write { db -> (id: String, session: StaffSession)? in
            if let totpStep { guard try StaffAccounts.acceptTOTPStep(db, account.id, totpStep) else { return nil } }
            if let previous { try StaffSessions.delete(db, id: previous) }
            try LoginAttempts.reset(db, .username(account.username))
            return try StaffSessions.create(db, staffID: account.id, language: language.rawValue, now: now)
        }
        guard let created else { return nil }
        context.log.message("staff-login", ["staff": String(account.id.rawValue)])
        var response = HTTPResponse.redirect(to: "/staff/worklist")
        response.headers.add("Set-Cookie", StaffCookies.header(name: StaffCookies.sessionName, value: created.id))
        response.headers.add("Set-Cookie", StaffCookies.header(name: StaffCookies.loginName, value: "", maxAge: 0))
        response.headers.add("Set-Cookie", StaffCookies.header(name: Self.pendingCookieName, value: "", maxAge: 0))
        return response
    }

    // MARK: Second step

    /// Whether a sign-in form POST is same-origin and carries the double-submit token of the
    /// login cookie (OWASP CSRF Prevention Cheat Sheet, "Double Submit Cookie": there is no
    /// session yet to hold a synchronizer token).
    static func carriesLoginFormToken(_ request: HTTPRequest, _ token: String) -> Bool {
        guard isSameOrigin(request), let cookie = StaffCookies.value(StaffCookies.loginName, in: request) else { return false }
        return constantTimeEquals(Array(cookie.utf8), Array(token.utf8))
    }

    /// Stores a pending sign-in for `account` (not a session) and shows the code form; the
    /// pending token goes in its own cookie that lasts `pendingLoginLifetime`.
    func startSecondFactor(_ request: HTTPRequest, account: StaffAccount, language: Language) async throws -> HTTPResponse {
        let now = context.clock()
        let old = StaffCookies.value(Self.pendingCookieName, in: request) ?? ""
        let lifetime = Self.pendingLoginLifetime
        let token = try await context.database.write { db in
            try StaffPendingLogins.delete(db, token: old, olderThan: now.addingTimeInterval(-lifetime))
            return try StaffPendingLogins.create(db, staffID: account.id, language: language.rawValue, now: now)
        }
        var response = try secondFactorPage(language: language, error: false)
        response.headers.add("Set-Cookie", StaffCookies.header(name: Self.pendingCookieName, value: token, maxAge: Int(lifetime)))
        return response
    }

    /// The code form with a fresh double-submit token, like the sign-in form.
    func secondFactorPage(language: Language, error: Bool) throws -> HTTPResponse {
        let token = SecretToken.generate()
        let content: TemplateValue = .object([
            "t": StaffText.labels(language), "csrf": .string(token), "hasError": .bool(error), "lang": .string(language.rawValue),
        ])
        var response = try render("staff/second-factor", title: StaffText.secondFactorTitle.text(language), content: content,
                                  language: language, signedIn: nil, status: error ? .unprocessableContent : .ok)
        response.headers.add("Set-Cookie", StaffCookies.header(name: StaffCookies.loginName, value: token,
                                                               maxAge: Int(Self.pendingLoginLifetime)))
        return response
    }

    /// Checks the one-time code of a pending sign-in: right and not used before → a session;
    /// wrong, replayed or locked → the code form again (counted as a failure); a pending
    /// sign-in older than five minutes (or none) → the sign-in form.
    func verifyCode(_ request: HTTPRequest) async throws -> HTTPResponse {
        let fields = FormData.decode(request.body)
        let field = { (name: String) in fields.first { $0.name == name }?.value ?? "" }
        guard Self.carriesLoginFormToken(request, field("csrf")) else { throw Failure.forbidden }
        let now = context.clock()
        let token = StaffCookies.value(Self.pendingCookieName, in: request) ?? ""
        let lifetime = Self.pendingLoginLifetime
        let found = try context.database.read { db -> (StaffAccount, [UInt8], Int?, Language)? in
            guard let pending = try StaffPendingLogins.find(db, token: token),
                  now.timeIntervalSince(pending.createdAt) < lifetime,
                  let account = try StaffAccounts.find(db, id: pending.staffID),
                  let totp = try StaffAccounts.totp(db, account.id) else { return nil }
            return (account, totp.secret, totp.lastStep, Language(code: pending.language) ?? .danish)
        }
        guard let (account, secret, lastStep, language) = found else {
            let language = Language(code: field("lang")) ?? .danish
            try await context.database.write { db in try StaffPendingLogins.delete(db, token: token, olderThan: now.addingTimeInterval(-lifetime)) }
            var response = try loginPage(HTTPRequest(method: .get, target: "/staff/login?lang=\(language.rawValue)"), failure: .signInExpired)
            response.headers.add("Set-Cookie", StaffCookies.header(name: Self.pendingCookieName, value: "", maxAge: 0))
            return response
        }
        let keys = attemptKeys(username: account.username, request)
        let locked = try context.database.read { db in try Self.isLocked(db, keys, now: now) }
        let step = TOTP(secret: secret).verify(code: field("code"), at: now, lastAcceptedStep: lastStep)
        if !locked, let step, let response = try await startSession(request, account: account, language: language, totpStep: step) {
            try await context.database.write { db in try StaffPendingLogins.delete(db, token: token, olderThan: now.addingTimeInterval(-lifetime)) }
            return response
        }
        try await recordRefusal(account: account, keys: keys, locked: locked, reason: "wrong-code", now: now)
        return try secondFactorPage(language: language, error: true)
    }
}
