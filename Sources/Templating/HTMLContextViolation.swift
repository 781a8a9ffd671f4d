/// Why a tag was refused by the HTML context check at load time.
///
/// Plain HTML escaping is only sufficient in element text and inside quoted attribute values;
/// everywhere else a value could change the markup's meaning even when escaped
/// (OWASP XSS Prevention Cheat Sheet, rules 1–4).
public enum HTMLContextViolation: Sendable, Hashable, CustomStringConvertible {
    /// A variable inside a tag but not inside a quoted attribute value (`<a {{x}}>`, `<{{x}}>`).
    case outsideQuotedAttributeValue
    /// A variable as an unquoted attribute value (`href={{x}}`): a space would start a new attribute.
    case unquotedAttributeValue(attribute: String)
    /// A variable in an event-handler attribute (`onclick="{{x}}"`): its value is script.
    case eventHandlerAttribute(attribute: String)
    /// A variable in an attribute whose value is parsed as CSS or HTML (`style`, `srcdoc`).
    case unsafeAttribute(attribute: String)
    /// A variable inside a `<script>` or `<style>` element, whose content is not HTML.
    case rawTextElement(element: String)
    /// A variable inside an HTML comment or `<!…>` declaration.
    case comment
    /// A partial outside element text: partials are checked as starting and ending in text.
    case partialOutsideText
    /// A section tag where it would split a tag name, attribute name or unquoted value.
    case sectionSplitsMarkup

    public var description: String {
        switch self {
        case .outsideQuotedAttributeValue: "inside an HTML tag but not inside a quoted attribute value"
        case .unquotedAttributeValue(let attribute): "in the unquoted value of attribute \"\(attribute)\"; quote it"
        case .eventHandlerAttribute(let attribute): "in event-handler attribute \"\(attribute)\""
        case .unsafeAttribute(let attribute): "in attribute \"\(attribute)\", whose value is not plain text"
        case .rawTextElement(let element): "inside a <\(element)> element"
        case .comment: "inside an HTML comment or declaration"
        case .partialOutsideText: "a partial must be placed in element text, not inside markup"
        case .sectionSplitsMarkup: "a section tag here would split a tag name, attribute name or unquoted value"
        }
    }
}
