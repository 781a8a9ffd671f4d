/// Anything that turns a complete request into a response: the router, or a test double.
///
/// The server calls it from a Swift `Task` per request; it must not throw, so every failure has
/// already become a response (a 500 at worst).
public protocol HTTPResponder: Sendable {
    /// Answers one request.
    func respond(to request: HTTPRequest) async -> HTTPResponse
}
