/// Errors found while loading templates (with their location) or while rendering.
public enum TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    // MARK: Loading

    /// The template folder could not be listed.
    case unreadableDirectory(path: String, reason: String)
    /// A template file could not be read as UTF-8.
    case unreadableFile(path: String, reason: String)
    /// `{{` without a closing `}}`.
    case unterminatedTag(TemplateLocation)
    /// `{{{x}}}` or `{{&x}}`: unescaped output does not exist; pass a `RenderedHTML` instead.
    case rawOutputForbidden(TemplateLocation)
    /// A Mustache tag outside the supported subset, such as `{{=<% %>=}}` or blocks.
    case unsupportedTag(String, TemplateLocation)
    /// A variable or section name that is empty or not `.` or dot-separated `[A-Za-z0-9_-]+`.
    case invalidName(String, TemplateLocation)
    /// `{{#x}}` or `{{^x}}` never closed; the location is the opening tag.
    case unclosedSection(String, TemplateLocation)
    /// `{{/x}}` with no open section.
    case unexpectedClose(String, TemplateLocation)
    /// `{{/y}}` closing an open `{{#x}}`.
    case mismatchedClose(expected: String, found: String, TemplateLocation)
    /// `{{> name}}` naming no template in the library.
    case unknownPartial(String, TemplateLocation)
    /// Partials that include each other in a loop; `cycle` lists the templates, first repeated last.
    case partialCycle(cycle: [String], TemplateLocation)
    /// A tag where plain HTML escaping would not make a value safe.
    case unsafeContext(HTMLContextViolation, TemplateLocation)
    /// A section whose content leaves the HTML in a different state than it found it (for
    /// example, it opens a quoted attribute value), so the output would depend on the data.
    case sectionChangesContext(String, TemplateLocation)
    /// The template ends inside a tag, comment or `<script>`/`<style>` element; the location is
    /// the `<` where that markup began.
    case endsInsideMarkup(TemplateLocation)

    // MARK: Rendering

    /// `render` was asked for a template the library does not have.
    case unknownTemplate(String)
    /// In strict mode, a variable that resolved to nothing.
    case missingVariable(String, TemplateLocation)
    /// A variable resolved to an array or object, which has no text form.
    case unrenderableValue(String, TemplateLocation)

    /// Where the problem is, when it is inside a template.
    public var location: TemplateLocation? {
        switch self {
        case .unreadableDirectory, .unreadableFile, .unknownTemplate:
            nil
        case .unterminatedTag(let location), .rawOutputForbidden(let location), .unsupportedTag(_, let location),
             .invalidName(_, let location), .unclosedSection(_, let location), .unexpectedClose(_, let location),
             .mismatchedClose(_, _, let location), .unknownPartial(_, let location), .partialCycle(_, let location),
             .unsafeContext(_, let location), .sectionChangesContext(_, let location), .endsInsideMarkup(let location),
             .missingVariable(_, let location), .unrenderableValue(_, let location):
            location
        }
    }

    public var description: String {
        let prefix = location.map { "\($0): " } ?? ""
        return prefix + message
    }

    private var message: String {
        switch self {
        case .unreadableDirectory(let path, let reason): "cannot list template folder \(path): \(reason)"
        case .unreadableFile(let path, let reason): "cannot read template \(path): \(reason)"
        case .unterminatedTag: "'{{' without a closing '}}'"
        case .rawOutputForbidden: "unescaped output ({{{…}}} or {{&…}}) is not supported; pass RenderedHTML instead"
        case .unsupportedTag(let tag, _): "unsupported tag {{\(tag)}}"
        case .invalidName(let name, _): "invalid name \"\(name)\""
        case .unclosedSection(let name, _): "section \"\(name)\" is never closed"
        case .unexpectedClose(let name, _): "{{/\(name)}} closes no open section"
        case .mismatchedClose(let expected, let found, _): "{{/\(found)}} found where {{/\(expected)}} was expected"
        case .unknownPartial(let name, _): "unknown partial \"\(name)\""
        case .partialCycle(let cycle, _): "partials include each other: \(cycle.joined(separator: " → "))"
        case .unsafeContext(let violation, _): "tag \(violation)"
        case .sectionChangesContext(let name, _): "section \"\(name)\" ends in a different HTML context than it starts"
        case .endsInsideMarkup: "template ends inside a tag, comment, or script/style element"
        case .unknownTemplate(let name): "no template named \"\(name)\""
        case .missingVariable(let name, _): "missing value for {{\(name)}}"
        case .unrenderableValue(let name, _): "{{\(name)}} is a list or object and cannot be shown as text"
        }
    }
}
