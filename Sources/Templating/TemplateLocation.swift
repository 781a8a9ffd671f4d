/// A position in a template source: template name, 1-based line and column (in Unicode scalars).
public struct TemplateLocation: Sendable, Hashable, CustomStringConvertible {
    /// The template's name (its path under the template folder, without `.html`).
    public let template: String
    /// The line, starting at 1.
    public let line: Int
    /// The column, starting at 1, counted in Unicode scalars.
    public let column: Int

    /// Creates a location.
    public init(template: String, line: Int, column: Int) {
        self.template = template
        self.line = line
        self.column = column
    }

    /// `template:line:column`, the form editors and compilers use.
    public var description: String { "\(template):\(line):\(column)" }
}
