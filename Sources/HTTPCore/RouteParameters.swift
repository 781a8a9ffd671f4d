/// The decoded values a route pattern captured, by parameter name.
///
/// `:name` parameters hold one percent-decoded segment; a `*name` wildcard holds the decoded
/// remaining segments joined with `/`. The router has already refused values that could escape
/// their segment (NUL, an encoded `/`, `.` or `..` segments).
public struct RouteParameters: Sendable, Equatable {
    private var values: [String: String]

    /// Parameters from a dictionary; for tests and for the router.
    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    /// The decoded value of a parameter, or nil if the route has no such parameter.
    public subscript(_ name: String) -> String? {
        values[name]
    }
}
