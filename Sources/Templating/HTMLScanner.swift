/// Where in HTML markup the template's literal text has left the parser.
///
/// A simplified version of the tokenizer states of the "HTML Living Standard" §13.2.5, just
/// detailed enough to tell element text and quoted attribute values (where escaping is
/// sufficient) from everything else. `afterAttributeValueQuoted` is merged into
/// `beforeAttributeName`. `<textarea>` and `<title>` content is treated as ordinary text, which
/// is right for escaped values (they are RCDATA, where character references are decoded).
enum HTMLContext: Hashable, Sendable {
    /// An element being opened or closed.
    struct Tag: Hashable, Sendable {
        var name: String
        var isEnd: Bool
    }

    /// Element text (the data state).
    case text
    /// Just after `<`.
    case markupOpen
    /// Just after `</`.
    case endTagOpen
    /// Inside a tag name.
    case tagName(Tag)
    /// Inside a tag, between attributes.
    case beforeAttributeName(Tag)
    /// Inside an attribute name.
    case attributeName(Tag, name: String)
    /// After an attribute name ended by a section tag: only a separator may follow, so the name
    /// seen here is the name the browser sees.
    case attributeNameEnded(Tag)
    /// After an attribute name and whitespace; `=` may still follow.
    case afterAttributeName(Tag, name: String)
    /// After `=`.
    case beforeAttributeValue(Tag, name: String)
    /// Inside an attribute value; `quote` is nil for an unquoted value.
    case attributeValue(Tag, name: String, quote: Unicode.Scalar?)
    /// After `<!`, counting leading dashes of a possible `<!--`.
    case markupDeclaration(dashes: Int)
    /// Inside `<!-- … -->`, counting the dashes just seen.
    case comment(dashes: Int)
    /// Inside `<!…>` or `<?…>` up to the next `>`.
    case bogusComment
    /// Inside `<script>` or `<style>`; `matched` counts the scalars of `</name` seen so far.
    case rawText(element: String, matched: Int)
    /// After text the scanner refuses (a non-separator right after a section-ended attribute name).
    case invalid
}

/// Follows literal template text through HTML markup, one Unicode scalar at a time.
struct HTMLScanner {
    /// Elements whose content is not HTML: values there would be script or CSS.
    static let rawTextElements: Set<String> = ["script", "style"]

    private(set) var context = HTMLContext.text

    /// Advances over literal text.
    mutating func consume(_ scalar: Unicode.Scalar) {
        context = Self.next(context, scalar)
    }

    // MARK: - Checks at tags

    /// Why a `{{variable}}` may not appear here, or nil when plain escaping makes it safe.
    var variableViolation: HTMLContextViolation? {
        switch context {
        case .text:
            return nil
        case .attributeValue(_, let name, let quote?) where quote == "\"" || quote == "'":
            if name.hasPrefix("on") { return .eventHandlerAttribute(attribute: name) }
            if name == "style" || name == "srcdoc" { return .unsafeAttribute(attribute: name) }
            return nil
        case .attributeValue(_, let name, _), .beforeAttributeValue(_, let name):
            return .unquotedAttributeValue(attribute: name)
        case .rawText(let element, _):
            return .rawTextElement(element: element)
        case .comment, .markupDeclaration, .bogusComment:
            return .comment
        case .markupOpen, .endTagOpen, .tagName, .beforeAttributeName, .attributeName, .attributeNameEnded,
             .afterAttributeName, .invalid:
            return .outsideQuotedAttributeValue
        }
    }

    /// Why a `{{> partial}}` may not appear here: partials start and end in element text.
    var partialViolation: HTMLContextViolation? {
        context == .text ? nil : .partialOutsideText
    }

    /// Prepares for a section tag (`{{#x}}`, `{{^x}}`, `{{/x}}`): returns why one may not appear
    /// here, or nil after ending any attribute name in progress, so the context recorded at the
    /// tag is the one both branches of the section continue from.
    mutating func enterSectionTag() -> HTMLContextViolation? {
        switch context {
        case .text, .beforeAttributeName, .attributeValue(_, _, _?), .comment, .rawText:
            return nil
        case .attributeName(let tag, _):
            context = .attributeNameEnded(tag)
            return nil
        case .afterAttributeName(let tag, _):
            context = .beforeAttributeName(tag)
            return nil
        default:
            return .sectionSplitsMarkup
        }
    }

    /// True when a section opened in `start` and closed in `end` leaves the markup the same
    /// whether it renders or not. An attribute name completed inside the section is allowed: the
    /// stricter `attributeNameEnded` then governs what follows.
    static func sectionIsBalanced(start: HTMLContext, end: HTMLContext) -> Bool {
        if start == end { return true }
        if case .beforeAttributeName(let startTag) = start, case .attributeNameEnded(let endTag) = end {
            return startTag == endTag
        }
        return false
    }

    // MARK: - Transitions

    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{0C}"
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func lowercased(_ scalar: Unicode.Scalar) -> String {
        String(scalar).lowercased()
    }

    /// The context after `tag` closes with `>`.
    private static func finish(_ tag: HTMLContext.Tag) -> HTMLContext {
        !tag.isEnd && rawTextElements.contains(tag.name) ? .rawText(element: tag.name, matched: 0) : .text
    }

    private static func next(_ context: HTMLContext, _ scalar: Unicode.Scalar) -> HTMLContext {
        switch context {
        case .text:
            return scalar == "<" ? .markupOpen : .text
        case .markupOpen:
            if scalar == "/" { return .endTagOpen }
            if scalar == "!" { return .markupDeclaration(dashes: 0) }
            if scalar == "?" { return .bogusComment }
            if isLetter(scalar) { return .tagName(.init(name: lowercased(scalar), isEnd: false)) }
            return scalar == "<" ? .markupOpen : .text
        case .endTagOpen:
            if isLetter(scalar) { return .tagName(.init(name: lowercased(scalar), isEnd: true)) }
            return scalar == ">" ? .text : .bogusComment
        case .tagName(var tag):
            if isWhitespace(scalar) || scalar == "/" { return .beforeAttributeName(tag) }
            if scalar == ">" { return finish(tag) }
            tag.name += lowercased(scalar)
            return .tagName(tag)
        case .beforeAttributeName(let tag):
            if isWhitespace(scalar) || scalar == "/" { return context }
            if scalar == ">" { return finish(tag) }
            return .attributeName(tag, name: lowercased(scalar))
        case .attributeName(let tag, let name):
            if isWhitespace(scalar) { return .afterAttributeName(tag, name: name) }
            if scalar == "/" { return .beforeAttributeName(tag) }
            if scalar == "=" { return .beforeAttributeValue(tag, name: name) }
            if scalar == ">" { return finish(tag) }
            return .attributeName(tag, name: name + lowercased(scalar))
        case .attributeNameEnded(let tag):
            if isWhitespace(scalar) || scalar == "/" { return .beforeAttributeName(tag) }
            return scalar == ">" ? finish(tag) : .invalid
        case .afterAttributeName(let tag, let name):
            if isWhitespace(scalar) { return context }
            if scalar == "/" { return .beforeAttributeName(tag) }
            if scalar == "=" { return .beforeAttributeValue(tag, name: name) }
            if scalar == ">" { return finish(tag) }
            return .attributeName(tag, name: lowercased(scalar))
        case .beforeAttributeValue(let tag, let name):
            if isWhitespace(scalar) { return context }
            if scalar == "\"" || scalar == "'" { return .attributeValue(tag, name: name, quote: scalar) }
            if scalar == ">" { return finish(tag) }
            return .attributeValue(tag, name: name, quote: nil)
        case .attributeValue(let tag, _, let quote?):
            return scalar == quote ? .beforeAttributeName(tag) : context
        case .attributeValue(let tag, _, nil):
            if isWhitespace(scalar) { return .beforeAttributeName(tag) }
            return scalar == ">" ? finish(tag) : context
        case .markupDeclaration(let dashes):
            if scalar == "-" { return dashes == 0 ? .markupDeclaration(dashes: 1) : .comment(dashes: 0) }
            return scalar == ">" ? .text : .bogusComment
        case .comment(let dashes):
            if scalar == "-" { return .comment(dashes: min(dashes + 1, 2)) }
            return scalar == ">" && dashes == 2 ? .text : .comment(dashes: 0)
        case .bogusComment:
            return scalar == ">" ? .text : .bogusComment
        case .rawText(let element, let matched):
            let endTag = Array(("</" + element).unicodeScalars)
            if matched == endTag.count {
                if isWhitespace(scalar) || scalar == "/" { return .beforeAttributeName(.init(name: element, isEnd: true)) }
                if scalar == ">" { return .text }
            } else if lowercased(scalar) == String(endTag[matched]) {
                return .rawText(element: element, matched: matched + 1)
            }
            return .rawText(element: element, matched: scalar == "<" ? 1 : 0)
        case .invalid:
            return .invalid
        }
    }
}
