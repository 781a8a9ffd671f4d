// MARK: - Rendering

extension TemplateLibrary {
    /// Renders template `name` with `context` as the outermost value.
    ///
    /// Variables are HTML-escaped (`& < > " '`) except `.html` values. Names are looked up from
    /// the innermost section context outward (Mustache "Variables" spec); in a dotted name only
    /// the first key walks outward, the rest must follow from it.
    public func render(_ name: String, _ context: TemplateValue) throws(TemplateError) -> RenderedHTML {
        guard let nodes = templates[name] else { throw .unknownTemplate(name) }
        var output = ""
        var stack = [context]
        try render(nodes, stack: &stack, into: &output)
        return RenderedHTML(trusted: output)
    }

    private func render(_ nodes: [TemplateNode], stack: inout [TemplateValue], into output: inout String) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text(let text):
                output += text
            case .variable(let name, let location):
                try renderVariable(name, location, value: Self.lookup(name, in: stack), into: &output)
            case .section(let name, let inverted, let body, _):
                let value = Self.lookup(name, in: stack)
                if inverted {
                    if !Self.isTruthy(value) { try render(body, stack: &stack, into: &output) }
                } else {
                    for element in Self.sectionContexts(value) {
                        stack.append(element)
                        defer { stack.removeLast() }
                        try render(body, stack: &stack, into: &output)
                    }
                }
            case .partial(let partial, _):
                guard let partialNodes = templates[partial] else { throw .unknownTemplate(partial) }
                try render(partialNodes, stack: &stack, into: &output)
            }
        }
    }

    private func renderVariable(_ name: TemplateName, _ location: TemplateLocation, value: TemplateValue?,
                                into output: inout String) throws(TemplateError) {
        switch value {
        case nil:
            if isStrict { throw .missingVariable(name.text, location) }
        case .string(let text):
            HTMLEscaping.append(text, to: &output)
        case .int(let number):
            output += String(number)
        case .bool(let flag):
            output += flag ? "true" : "false"
        case .html(let html):
            output += html.string
        case .array, .object:
            throw .unrenderableValue(name.text, location)
        }
    }

    /// Resolves `name` against the context stack, innermost first.
    static func lookup(_ name: TemplateName, in stack: [TemplateValue]) -> TemplateValue? {
        guard let first = name.keys.first else { return stack.last }
        guard var value = stack.reversed().lazy.compactMap({ context -> TemplateValue? in
            if case .object(let fields) = context { return fields[first] }
            return nil
        }).first else { return nil }
        for key in name.keys.dropFirst() {
            guard case .object(let fields) = value, let next = fields[key] else { return nil }
            value = next
        }
        return value
    }

    /// Whether a section renders at least once for `value` (an inverted section renders otherwise).
    static func isTruthy(_ value: TemplateValue?) -> Bool {
        !sectionContexts(value).isEmpty
    }

    /// The contexts a section renders its body with: none for missing, false, empty text or an
    /// empty list; each element of a list; the value itself once otherwise (an int, even 0).
    static func sectionContexts(_ value: TemplateValue?) -> [TemplateValue] {
        switch value {
        case nil, .bool(false): []
        case .array(let elements): elements
        case .string(let text): text.isEmpty ? [] : [.string(text)]
        case .html(let html): html.string.isEmpty ? [] : [.html(html)]
        case let value?: [value]
        }
    }
}
