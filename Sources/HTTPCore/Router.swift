/// Maps method and path to a handler; built once at start-up, then immutable and `Sendable`.
///
/// Patterns are literal segments, `:name` parameters and one final `*name` wildcard
/// (`/q/:token/receipt`, `/static/*path`). Matching compares the **raw** path segments to the
/// literals, then percent-decodes each captured segment exactly once (RFC 3986 §2.1) and refuses
/// values containing NUL or `/` (an encoded slash) and wildcard segments that are `.`, `..` or empty (RFC 3986 §5.2.4),
/// so a parameter can never smuggle a path separator.
///
/// Outcomes: a method outside ``HTTPMethod/standard`` → 501; a path whose literal segments lead to a
/// route but whose parameter is unsafe (a traversal or smuggling attempt) → 400, so such attempts are
/// refused loudly rather than passed as "not found"; no route for the path → ``notFound``;
/// a route for the path but not the method → 405 with `Allow` (RFC 9110 §15.5.6). HEAD is served by the
/// GET handler where no HEAD route exists; the encoder drops the body and keeps GET's length (RFC 9110 §9.3.2).
public struct Router: HTTPResponder {
    /// A request handler: the request and the decoded route parameters in, a response out.
    public typealias Handler = @Sendable (HTTPRequest, RouteParameters) async -> HTTPResponse

    /// A successful match, with the route template for logging (never log the raw path).
    public struct Match: Sendable {
        /// The pattern as registered, e.g. `/q/:token/receipt`.
        public let template: String
        /// The handler to call.
        public let handler: Handler
        /// The decoded parameters.
        public let parameters: RouteParameters
    }

    /// What the router decided for a request.
    public enum Resolution: Sendable {
        /// A route matched.
        case matched(Match)
        /// The path matches routes, but not for this method; the allowed methods in registration order.
        case methodNotAllowed(allowed: [HTTPMethod])
        /// A route's literal segments match, but a parameter segment is malformed or unsafe.
        case unsafePath
        /// No route has this path.
        case notFound
        /// The method is not one this server implements.
        case notImplemented
    }

    private enum Segment: Sendable {
        case literal(String)
        case parameter(String)
        case wildcard(String)
    }

    private struct Route: Sendable {
        let method: HTTPMethod
        let template: String
        let segments: [Segment]
        let handler: Handler
    }

    private var routes: [Route] = []

    /// Answers requests no route matches; a plain 404 by default.
    public var notFound: @Sendable (HTTPRequest) async -> HTTPResponse = { _ in
        .text("Not Found\n", status: .notFound)
    }

    /// An empty router.
    public init() {}

    /// Registers a handler. The pattern must start with `/`; a `*name` segment may only come last.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping Handler) {
        precondition(pattern.hasPrefix("/"), "route pattern must start with /: \(pattern)")
        let parts = Self.rawSegments(pattern)
        let segments: [Segment] = parts.enumerated().map { index, part in
            if part.hasPrefix(":") { return .parameter(String(part.dropFirst())) }
            if part.hasPrefix("*") {
                precondition(index == parts.count - 1, "wildcard must be the last segment: \(pattern)")
                return .wildcard(String(part.dropFirst()))
            }
            return .literal(String(part))
        }
        routes.append(Route(method: method, template: pattern, segments: segments, handler: handler))
    }

    // MARK: Resolving

    /// Decides what answers `request`, without calling any handler.
    public func resolve(_ request: HTTPRequest) -> Resolution {
        guard HTTPMethod.standard.contains(request.method) else { return .notImplemented }
        let segments = Self.rawSegments(request.path)
        var allowed: [HTTPMethod] = []
        var getMatch: Match?
        var sawUnsafeSegment = false
        for route in routes {
            let parameters: RouteParameters
            switch Self.match(route.segments, segments) {
            case .matched(let matched): parameters = matched
            case .unsafe: sawUnsafeSegment = true; continue
            case .mismatch: continue
            }
            let match = Match(template: route.template, handler: route.handler, parameters: parameters)
            if route.method == request.method { return .matched(match) }
            if route.method == .get && getMatch == nil { getMatch = match }
            if !allowed.contains(route.method) { allowed.append(route.method) }
        }
        if request.method == .head, let getMatch { return .matched(getMatch) }
        guard !allowed.isEmpty else { return sawUnsafeSegment ? .unsafePath : .notFound }
        if allowed.contains(.get) && !allowed.contains(.head) { allowed.append(.head) }
        return .methodNotAllowed(allowed: allowed)
    }

    /// The matched route for `request`, or nil; for logging the template.
    public func match(_ request: HTTPRequest) -> Match? {
        if case .matched(let match) = resolve(request) { return match }
        return nil
    }

    /// Calls the matching handler or answers 404/405/501.
    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        switch resolve(request) {
        case .matched(let match):
            return await match.handler(request, match.parameters)
        case .notFound:
            return await notFound(request)
        case .unsafePath:
            return .text("Bad Request: the path has a malformed or unsafe segment.\n", status: .badRequest)
        case .methodNotAllowed(let allowed):
            var response = HTTPResponse.text("Method Not Allowed\n", status: .methodNotAllowed)
            response.headers.set("Allow", allowed.map(\.rawValue).joined(separator: ", "))
            return response
        case .notImplemented:
            return .text("Not Implemented\n", status: .notImplemented)
        }
    }

    // MARK: Matching

    private static func rawSegments(_ path: String) -> [Substring] {
        path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
    }

    /// How a path compares with one route's pattern.
    private enum SegmentMatch {
        case matched(RouteParameters)
        /// A literal differs or the segment count does not fit: another route may match.
        case mismatch
        /// The literals fit, but a parameter segment is malformed or unsafe.
        case unsafe
    }

    private static func match(_ pattern: [Segment], _ path: [Substring]) -> SegmentMatch {
        var values: [String: String] = [:]
        for (index, segment) in pattern.enumerated() {
            switch segment {
            case .literal(let literal):
                guard index < path.count, path[index] == literal else { return .mismatch }
            case .parameter(let name):
                guard index < path.count, !path[index].isEmpty else { return .mismatch }
                guard let value = decodeSegment(path[index]) else { return .unsafe }
                values[name] = value
            case .wildcard(let name):
                let rest = path[min(index, path.count)...]
                var decoded: [String] = []
                for part in rest {
                    guard let value = decodeSegment(part), value != ".", value != "..",
                          !value.isEmpty || rest.count == 1 else { return .unsafe }
                    decoded.append(value)
                }
                values[name] = decoded.joined(separator: "/")
                return .matched(RouteParameters(values))
            }
        }
        return pattern.count == path.count ? .matched(RouteParameters(values)) : .mismatch
    }

    /// One path segment decoded once; nil for malformed escapes, invalid UTF-8, NUL or an encoded `/`.
    private static func decodeSegment(_ raw: Substring) -> String? {
        guard let bytes = PercentEncoding.decode(raw.utf8, plusAsSpace: false, malformed: .reject),
              !bytes.contains(0), !bytes.contains(UInt8(ascii: "/")),
              let value = String(validating: bytes, as: UTF8.self) else { return nil }
        return value
    }
}
