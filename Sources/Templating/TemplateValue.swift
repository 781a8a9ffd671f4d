/// A value a template can show: the view model handed to `TemplateLibrary.render`.
///
/// Deliberately small and logic-less: templates test and loop over values, they never compute.
public enum TemplateValue: Sendable, Hashable {
    /// Text, HTML-escaped on output.
    case string(String)
    /// A flag: `true` renders a section once, `false` skips it.
    case bool(Bool)
    /// An integer, rendered in decimal. Always truthy in sections (a score of 0 is data).
    case int(Int)
    /// A list: a section renders once per element, with the element as context.
    case array([TemplateValue])
    /// Named values: a section pushes it as context; names are looked up in it.
    case object([String: TemplateValue])
    /// Trusted markup made by this library (a rendered partial, escaped text); not escaped again.
    case html(RenderedHTML)
}

// MARK: - Literals

extension TemplateValue: ExpressibleByStringInterpolation {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension TemplateValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension TemplateValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
}

extension TemplateValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: TemplateValue...) { self = .array(elements) }
}

extension TemplateValue: ExpressibleByDictionaryLiteral {
    /// Creates an object; a repeated key keeps the last value.
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
