import Foundation
import HTTPCore
import Synchronization

/// How the clinician pages' cookies are named and written, and the session time limits.
///
/// Cookies carry `Secure` and the `__Host-` prefix (RFC 6265bis §4.1.3.2: `Secure`, `Path=/`,
/// no `Domain`), so a browser sends them only over HTTPS to exactly this host. A local
/// plain-HTTP run cannot use either, so the server may turn both off once at start
/// (`serve --insecure-cookies`); nothing else changes the setting.
public enum StaffCookies {
    private static let secureSetting = Mutex(true)

    /// Whether cookies are `Secure` with the `__Host-` prefix (default true). Set it to false
    /// only before serving, for plain-HTTP development and tests on loopback.
    public static var secure: Bool {
        get { secureSetting.withLock { $0 } }
        set { secureSetting.withLock { $0 = newValue } }
    }

    /// The session cookie: `__Host-byneed-staff` (`byneed-staff` when not secure).
    public static var sessionName: String { secure ? "__Host-byneed-staff" : "byneed-staff" }
    /// The login form's double-submit CSRF cookie (before there is a session to hold a token).
    static var loginName: String { secure ? "__Host-byneed-login" : "byneed-login" }

    /// A staff member is signed out after this long without a request (30 minutes).
    public static let idleTimeout: TimeInterval = 30 * 60
    /// A session ends this long after sign-in however active it is (12 hours).
    public static let absoluteTimeout: TimeInterval = 12 * 3600

    /// A `Set-Cookie` value: `HttpOnly`, `SameSite=Strict`, `Path=/`, `Secure` unless turned off.
    /// `maxAge` 0 deletes the cookie; nil makes it last until the browser closes.
    static func header(name: String, value: String, maxAge: Int? = nil) -> String {
        var parts = ["\(name)=\(value)", "Path=/", "HttpOnly", "SameSite=Strict"]
        if secure { parts.append("Secure") }
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        return parts.joined(separator: "; ")
    }

    /// The value of cookie `name` in a request's `Cookie` headers (RFC 6265 §5.4), if present.
    static func value(_ name: String, in request: HTTPRequest) -> String? {
        for header in request.headers.values(for: "Cookie") {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }
}
