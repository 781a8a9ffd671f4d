/// Markup that is safe to send: produced by rendering a checked template, or by escaping text.
///
/// Only this library can create one from raw markup (the initialiser is internal), so any
/// `RenderedHTML` in the program came through the escaping renderer. A `.html` value is
/// inserted without escaping, which is how a rendered fragment is embedded in a layout.
public struct RenderedHTML: Sendable, Hashable, CustomStringConvertible {
    /// The markup.
    public let string: String

    init(trusted string: String) {
        self.string = string
    }

    /// Markup showing `text` literally: `& < > " '` are escaped.
    public init(escaping text: String) {
        self.string = HTMLEscaping.escape(text)
    }

    public var description: String { string }
}
