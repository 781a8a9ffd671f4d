/// One number of a published table: its value, or suppressed.
public enum PublishedCount: Sendable, Hashable, CustomStringConvertible {
    /// Shown as is.
    case value(Int)
    /// Hidden (shown as "<5" or "–" by the view).
    case suppressed

    /// The value, or nil when suppressed.
    public var value: Int? {
        if case .value(let count) = self { count } else { nil }
    }

    public var description: String { value.map(String.init) ?? "•" }
}
