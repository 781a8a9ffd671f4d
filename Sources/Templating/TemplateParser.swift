/// Parses one template source into nodes, checking tag syntax, section nesting and the HTML
/// context of every tag (see `HTMLScanner`) in a single pass.
struct TemplateParser {
    /// A section whose closing tag has not been seen yet.
    private struct OpenSection {
        let name: TemplateName
        let inverted: Bool
        let location: TemplateLocation
        let context: HTMLContext
        /// The nodes of the enclosing level, collected before this section opened.
        let enclosingNodes: [TemplateNode]
    }

    private let template: String
    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var line = 1
    private var column = 1
    private var html = HTMLScanner()
    /// Where the markup the scanner is inside (tag, comment, script element) began; nil in text.
    private var markupStart: TemplateLocation?
    private var nodes: [TemplateNode] = []
    private var openSections: [OpenSection] = []

    /// Parses `source`, the template called `template`.
    static func parse(template: String, source: String) throws(TemplateError) -> [TemplateNode] {
        var parser = TemplateParser(template: template, scalars: Array(source.unicodeScalars))
        return try parser.parseAll()
    }

    private init(template: String, scalars: [Unicode.Scalar]) {
        self.template = template
        self.scalars = scalars
    }

    private var location: TemplateLocation {
        TemplateLocation(template: template, line: line, column: column)
    }

    private func isTagStart(at index: Int) -> Bool {
        index + 1 < scalars.count && scalars[index] == "{" && scalars[index + 1] == "{"
    }

    /// Moves past one scalar, keeping line and column.
    private mutating func advance() {
        if scalars[position] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        position += 1
    }

    // MARK: - Text and tags

    private mutating func parseAll() throws(TemplateError) -> [TemplateNode] {
        while position < scalars.count {
            if isTagStart(at: position) {
                try parseTag()
            } else {
                try parseText()
            }
        }
        if let open = openSections.last {
            throw .unclosedSection(open.name.text, open.location)
        }
        guard html.context == .text else { throw .endsInsideMarkup(markupStart ?? location) }
        return nodes
    }

    private mutating func parseText() throws(TemplateError) {
        var text = String.UnicodeScalarView()
        while position < scalars.count, !isTagStart(at: position) {
            let scalar = scalars[position]
            let wasText = html.context == .text
            html.consume(scalar)
            if html.context == .invalid { throw .unsafeContext(.sectionSplitsMarkup, location) }
            if html.context == .text {
                markupStart = nil
            } else if wasText {
                markupStart = location
            }
            text.append(scalar)
            advance()
        }
        nodes.append(.text(String(text)))
    }

    private mutating func parseTag() throws(TemplateError) {
        let start = location
        advance()
        advance()
        if position < scalars.count, scalars[position] == "{" { throw .rawOutputForbidden(start) }
        var content = String.UnicodeScalarView()
        while !isTagStart(closingAt: position) {
            guard position < scalars.count else { throw .unterminatedTag(start) }
            content.append(scalars[position])
            advance()
        }
        advance()
        advance()
        let trimmed = String(content).trimmingWhitespace()
        guard let sigil = trimmed.unicodeScalars.first else { throw .invalidName("", start) }
        let rest = String(trimmed.unicodeScalars.dropFirst()).trimmingWhitespace()
        switch sigil {
        case "!":
            return
        case "&":
            throw .rawOutputForbidden(start)
        case "#", "^":
            try openSection(name: parseName(rest, at: start), inverted: sigil == "^", at: start)
        case "/":
            try closeSection(name: parseName(rest, at: start), at: start)
        case ">":
            guard !rest.isEmpty, !rest.unicodeScalars.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) else {
                throw .invalidName(rest, start)
            }
            if let violation = html.partialViolation { throw .unsafeContext(violation, start) }
            nodes.append(.partial(rest, start))
        case "=", "<", "$":
            throw .unsupportedTag(trimmed, start)
        default:
            let name = try parseName(trimmed, at: start)
            if let violation = html.variableViolation { throw .unsafeContext(violation, start) }
            nodes.append(.variable(name, start))
        }
    }

    private func isTagStart(closingAt index: Int) -> Bool {
        index + 1 < scalars.count && scalars[index] == "}" && scalars[index + 1] == "}"
    }

    // MARK: - Sections

    private mutating func openSection(name: TemplateName, inverted: Bool, at start: TemplateLocation) throws(TemplateError) {
        if let violation = html.enterSectionTag() { throw .unsafeContext(violation, start) }
        openSections.append(OpenSection(name: name, inverted: inverted, location: start,
                                        context: html.context, enclosingNodes: nodes))
        nodes = []
    }

    private mutating func closeSection(name: TemplateName, at start: TemplateLocation) throws(TemplateError) {
        guard let open = openSections.popLast() else { throw .unexpectedClose(name.text, start) }
        guard open.name == name else { throw .mismatchedClose(expected: open.name.text, found: name.text, start) }
        if let violation = html.enterSectionTag() { throw .unsafeContext(violation, start) }
        guard HTMLScanner.sectionIsBalanced(start: open.context, end: html.context) else {
            throw .sectionChangesContext(name.text, start)
        }
        let body = nodes
        nodes = open.enclosingNodes
        nodes.append(.section(open.name, inverted: open.inverted, body: body, open.location))
    }

    // MARK: - Names

    /// Parses `.` or dot-separated keys of ASCII letters, digits, `_` and `-`.
    private func parseName(_ text: String, at start: TemplateLocation) throws(TemplateError) -> TemplateName {
        if text == "." { return TemplateName(text: text, keys: []) }
        let keys = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let valid = !text.isEmpty && keys.allSatisfy { key in
            !key.isEmpty && key.unicodeScalars.allSatisfy { scalar in
                ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                    || scalar == "_" || scalar == "-"
            }
        }
        guard valid else { throw .invalidName(text, start) }
        return TemplateName(text: text, keys: keys)
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    func trimmingWhitespace() -> String {
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        let view = unicodeScalars
        guard let first = view.firstIndex(where: { !isSpace($0) }),
              let last = view.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(view[first...last])
    }
}
