/// A parsed variable or section name: `.` (the current context) or dot-separated keys.
struct TemplateName: Sendable, Hashable {
    /// The name as written, for messages and close-tag matching.
    let text: String
    /// The keys to follow; empty for `.`.
    let keys: [String]
}

/// One piece of a parsed template.
indirect enum TemplateNode: Sendable {
    /// Literal template text, emitted as is.
    case text(String)
    /// `{{name}}`: a value, escaped unless it is `RenderedHTML`.
    case variable(TemplateName, TemplateLocation)
    /// `{{#name}}…{{/name}}` or, when `inverted`, `{{^name}}…{{/name}}`.
    case section(TemplateName, inverted: Bool, body: [TemplateNode], TemplateLocation)
    /// `{{> name}}`: another template rendered with the current context.
    case partial(String, TemplateLocation)
}
