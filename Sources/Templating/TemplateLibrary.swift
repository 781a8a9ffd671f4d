import Foundation

/// Every template of the application, parsed and checked once at start-up, then immutable.
///
/// Loading refuses anything that could fail or be unsafe later: bad tag syntax, unbalanced
/// sections, unknown partials, partial cycles, raw-output syntax, and tags in HTML contexts
/// where escaping is not enough (see `HTMLContextViolation`). A library that loads can only fail
/// at render time on data: a missing variable in strict mode, or a list shown as text.
///
/// The syntax is a subset of Mustache (mustache(5)): `{{name}}`, `{{a.b}}`, `{{.}}`,
/// `{{#name}}…{{/name}}`, `{{^name}}…{{/name}}`, `{{> partial}}`, `{{! comment }}`. Left out on
/// purpose: unescaped output (`{{{x}}}`, `{{&x}}`; embed a `RenderedHTML` instead), delimiter
/// changes, lambdas, and the spec's removal of "standalone" tag lines (whitespace is kept as
/// written, which HTML ignores). Values are escaped for HTML (`& < > " '`); that suffices
/// because the load-time check only admits them in element text and quoted attribute values.
/// Not checked: what a URL attribute (`href`, `src`, `action`) points to; only put URLs built
/// by the server there, never a user-supplied URL, since escaping does not stop `javascript:`.
///
/// Strict mode (`strict: true`) makes a variable that resolves to nothing an error instead of
/// empty output; use it in tests and development so a misspelt name fails loudly, and leave it
/// off in production, where a blank is better than an error page. Sections are unaffected: a
/// missing section name is simply false.
public struct TemplateLibrary: Sendable {
    let templates: [String: [TemplateNode]]

    /// Whether a missing variable throws `TemplateError.missingVariable` instead of rendering empty.
    public let isStrict: Bool

    /// The template names, sorted.
    public var names: [String] { templates.keys.sorted() }

    private init(templates: [String: [TemplateNode]], isStrict: Bool) {
        self.templates = templates
        self.isStrict = isStrict
    }

    // MARK: - Loading

    /// Loads every `*.html` file under `directory`, recursively; a template's name is its path
    /// relative to `directory` without `.html` (`layout`, `patient/page`, `partials/error-summary`).
    public static func load(directory: String, strict: Bool = false) throws(TemplateError) -> TemplateLibrary {
        let fileManager = FileManager.default
        let root = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL.path
        let paths: [String]
        do {
            paths = try fileManager.subpathsOfDirectory(atPath: root)
        } catch {
            throw .unreadableDirectory(path: root, reason: "\(error)")
        }
        var sources: [String: String] = [:]
        for relativePath in paths.sorted() where relativePath.hasSuffix(".html") {
            let path = root + "/" + relativePath
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            guard let data = fileManager.contents(atPath: path) else {
                throw .unreadableFile(path: path, reason: "cannot read file")
            }
            guard let source = String(validating: data, as: UTF8.self) else {
                throw .unreadableFile(path: path, reason: "not valid UTF-8")
            }
            sources[String(relativePath.dropLast(".html".count))] = source
        }
        return try parse(templates: sources, strict: strict)
    }

    /// Parses and checks templates given as name → source (for tests and embedded templates).
    public static func parse(templates sources: [String: String], strict: Bool = false) throws(TemplateError) -> TemplateLibrary {
        var templates: [String: [TemplateNode]] = [:]
        for name in sources.keys.sorted() {
            templates[name] = try TemplateParser.parse(template: name, source: sources[name] ?? "")
        }
        let library = TemplateLibrary(templates: templates, isStrict: strict)
        try library.checkPartials()
        return library
    }

    // MARK: - Partial checks

    /// Every partial reference in `nodes`, in source order, including those inside sections.
    private static func partials(in nodes: [TemplateNode]) -> [(name: String, location: TemplateLocation)] {
        nodes.flatMap { node -> [(name: String, location: TemplateLocation)] in
            switch node {
            case .partial(let name, let location): [(name, location)]
            case .section(_, _, let body, _): partials(in: body)
            case .text, .variable: []
            }
        }
    }

    /// Refuses unknown partial names and partials that include themselves, directly or not.
    private func checkPartials() throws(TemplateError) {
        var references: [String: [(name: String, location: TemplateLocation)]] = [:]
        for name in names {
            references[name] = Self.partials(in: templates[name] ?? [])
            for reference in references[name] ?? [] where templates[reference.name] == nil {
                throw .unknownPartial(reference.name, reference.location)
            }
        }
        var finished = Set<String>()
        for name in names {
            var path: [String] = []
            try visit(name, references: references, path: &path, finished: &finished)
        }
    }

    /// Depth-first search for a cycle through `name`; `path` is the chain of templates being visited.
    private func visit(_ name: String, references: [String: [(name: String, location: TemplateLocation)]],
                       path: inout [String], finished: inout Set<String>) throws(TemplateError) {
        guard !finished.contains(name) else { return }
        path.append(name)
        for reference in references[name] ?? [] {
            if let start = path.firstIndex(of: reference.name) {
                throw .partialCycle(cycle: Array(path[start...]) + [reference.name], reference.location)
            }
            try visit(reference.name, references: references, path: &path, finished: &finished)
        }
        path.removeLast()
        finished.insert(name)
    }
}
