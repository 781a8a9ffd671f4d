import Testing
@testable import Templating

struct RenderCase: Sendable, CustomTestStringConvertible {
    let name: String
    let template: String
    let context: TemplateValue
    let expected: String
    var partials: [String: String] = [:]
    var testDescription: String { name }
}

let renderCases: [RenderCase] = [
    // Variables and escaping
    RenderCase(name: "plain variable", template: "Hi {{name}}!", context: ["name": "Ann"], expected: "Hi Ann!"),
    RenderCase(name: "spaces inside tag", template: "{{ name }}", context: ["name": "Ann"], expected: "Ann"),
    RenderCase(name: "escapes ampersand", template: "{{v}}", context: ["v": "a&b"], expected: "a&amp;b"),
    RenderCase(name: "escapes less-than", template: "{{v}}", context: ["v": "<"], expected: "&lt;"),
    RenderCase(name: "escapes greater-than", template: "{{v}}", context: ["v": ">"], expected: "&gt;"),
    RenderCase(name: "escapes double quote", template: "{{v}}", context: ["v": "\""], expected: "&quot;"),
    RenderCase(name: "escapes single quote", template: "{{v}}", context: ["v": "'"], expected: "&#39;"),
    RenderCase(name: "escapes inside quoted attribute", template: "<a title=\"{{v}}\">x</a>",
               context: ["v": "\"><script>alert('x')</script>"],
               expected: "<a title=\"&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;\">x</a>"),
    RenderCase(name: "leaves other text alone", template: "{{v}}", context: ["v": "æøå 👍 a=b;"], expected: "æøå 👍 a=b;"),
    RenderCase(name: "integer zero", template: "{{n}}", context: ["n": 0], expected: "0"),
    RenderCase(name: "negative integer", template: "{{n}}", context: ["n": -12], expected: "-12"),
    RenderCase(name: "boolean", template: "{{b}}/{{c}}", context: ["b": true, "c": false], expected: "true/false"),
    RenderCase(name: "missing variable is empty when not strict", template: "[{{nope}}]", context: [:], expected: "[]"),
    RenderCase(name: "implicit iterator at root", template: "{{.}}", context: "a<b", expected: "a&lt;b"),
    RenderCase(name: "dotted name", template: "{{a.b.c}}", context: ["a": ["b": ["c": "deep"]]], expected: "deep"),
    RenderCase(name: "dotted name does not fall back after first key", template: "{{#x}}[{{a.b}}]{{/x}}",
               context: ["a": ["b": "outer"], "x": ["a": ["other": 1]]], expected: "[]"),
    RenderCase(name: "comment is dropped", template: "a{{! a comment }}b", context: [:], expected: "ab"),
    RenderCase(name: "multi-line comment is dropped", template: "a{{!\n line one\n line two }}b", context: [:], expected: "ab"),
    // Sections by value kind
    RenderCase(name: "true renders once", template: "{{#f}}yes{{/f}}", context: ["f": true], expected: "yes"),
    RenderCase(name: "false skips", template: "{{#f}}yes{{/f}}", context: ["f": false], expected: ""),
    RenderCase(name: "missing skips", template: "{{#f}}yes{{/f}}", context: [:], expected: ""),
    RenderCase(name: "empty array skips", template: "{{#f}}yes{{/f}}", context: ["f": []], expected: ""),
    RenderCase(name: "array repeats with element context", template: "{{#xs}}<li>{{.}}</li>{{/xs}}",
               context: ["xs": ["a", "<b>"]], expected: "<li>a</li><li>&lt;b&gt;</li>"),
    RenderCase(name: "array of objects", template: "{{#xs}}{{n}},{{/xs}}",
               context: ["xs": [["n": 1], ["n": 2]]], expected: "1,2,"),
    RenderCase(name: "object pushes context", template: "{{#p}}{{name}}{{/p}}", context: ["p": ["name": "Bo"]], expected: "Bo"),
    RenderCase(name: "empty object still renders", template: "{{#p}}x{{/p}}", context: ["p": [:]], expected: "x"),
    RenderCase(name: "non-empty string renders once", template: "{{#s}}[{{.}}]{{/s}}", context: ["s": "hi"], expected: "[hi]"),
    RenderCase(name: "empty string skips", template: "{{#s}}x{{/s}}", context: ["s": ""], expected: ""),
    RenderCase(name: "integer zero renders once", template: "{{#n}}score {{.}}{{/n}}", context: ["n": 0], expected: "score 0"),
    // Inverted sections
    RenderCase(name: "inverted false renders", template: "{{^f}}no{{/f}}", context: ["f": false], expected: "no"),
    RenderCase(name: "inverted missing renders", template: "{{^f}}no{{/f}}", context: [:], expected: "no"),
    RenderCase(name: "inverted empty array renders", template: "{{^f}}none{{/f}}", context: ["f": []], expected: "none"),
    RenderCase(name: "inverted true skips", template: "{{^f}}no{{/f}}", context: ["f": true], expected: ""),
    RenderCase(name: "inverted non-empty array skips", template: "{{^f}}no{{/f}}", context: ["f": [1]], expected: ""),
    // Context stack
    RenderCase(name: "lookup walks outward", template: "{{#items}}{{name}} of {{owner}};{{/items}}",
               context: ["owner": "Ann", "items": [["name": "a"], ["name": "b", "owner": "Bo"]]],
               expected: "a of Ann;b of Bo;"),
    RenderCase(name: "nested sections", template: "{{#a}}{{#b}}{{c}}{{x}}{{/b}}{{/a}}",
               context: ["x": "root", "a": ["b": ["c": "C"]]], expected: "Croot"),
    // Partials
    RenderCase(name: "partial with current context", template: "<p>{{#p}}{{> greet}}{{/p}}</p>",
               context: ["p": ["name": "Ann"]], expected: "<p>Hi Ann</p>", partials: ["greet": "Hi {{name}}"]),
    RenderCase(name: "nested partial path names", template: "{{> partials/a}}", context: ["v": "<"],
               expected: "A[B&lt;]", partials: ["partials/a": "A[{{> partials/b}}]", "partials/b": "B{{v}}"]),
    // Trusted markup
    RenderCase(name: "html value is not escaped", template: "<main>{{body}}</main>",
               context: ["body": .html(RenderedHTML(escaping: "<b>") )], expected: "<main>&lt;b&gt;</main>"),
    // Sections inside tags
    RenderCase(name: "boolean attribute on", template: "<input type=\"checkbox\"{{#c}} checked{{/c}}>",
               context: ["c": true], expected: "<input type=\"checkbox\" checked>"),
    RenderCase(name: "boolean attribute off", template: "<input type=\"checkbox\"{{#c}} checked{{/c}}>",
               context: ["c": false], expected: "<input type=\"checkbox\">"),
]

@Test(arguments: renderCases)
func rendersTemplates(renderCase: RenderCase) throws {
    var sources = renderCase.partials
    sources["main"] = renderCase.template
    let library = try TemplateLibrary.parse(templates: sources)
    #expect(try library.render("main", renderCase.context).string == renderCase.expected)
}

@Test func renderedFragmentsEmbedWithoutDoubleEscaping() throws {
    let library = try TemplateLibrary.parse(templates: [
        "fragment": "<p title=\"{{t}}\">{{t}}</p>",
        "layout": "<body>{{content}}</body>",
    ])
    let fragment = try library.render("fragment", ["t": "a&b"])
    #expect(fragment.string == "<p title=\"a&amp;b\">a&amp;b</p>")
    let page = try library.render("layout", ["content": .html(fragment)])
    #expect(page.string == "<body><p title=\"a&amp;b\">a&amp;b</p></body>")
}

@Test func strictLibraryRefusesMissingVariablesWithTheirLocation() throws {
    let source = ["main": "<ul>\n{{#items}}<li>{{nmae}}</li>{{/items}}</ul>"]
    let strict = try TemplateLibrary.parse(templates: source, strict: true)
    #expect(strict.isStrict)
    #expect(throws: TemplateError.missingVariable("nmae", TemplateLocation(template: "main", line: 2, column: 15))) {
        try strict.render("main", ["items": [["name": "x"]]])
    }
    #expect(try strict.render("main", ["items": [["nmae": "x"]]]).string == "<ul>\n<li>x</li></ul>")
    // Sections stay lenient: a missing section name is false.
    #expect(try strict.render("main", [:]).string == "<ul>\n</ul>")
    let lenient = try TemplateLibrary.parse(templates: source)
    #expect(try lenient.render("main", ["items": [["name": "x"]]]).string == "<ul>\n<li></li></ul>")
}

@Test func listsAndObjectsCannotBeShownAsText() throws {
    let library = try TemplateLibrary.parse(templates: ["main": "{{xs}}"])
    #expect(throws: TemplateError.unrenderableValue("xs", TemplateLocation(template: "main", line: 1, column: 1))) {
        try library.render("main", ["xs": [1]])
    }
}

@Test func renderingAnUnknownTemplateThrows() throws {
    let library = try TemplateLibrary.parse(templates: ["main": "x"])
    #expect(throws: TemplateError.unknownTemplate("nope")) { try library.render("nope", [:]) }
}

@Test func escapingInitialiserEscapesEverySpecialCharacter() {
    #expect(RenderedHTML(escaping: "&<>\"'x").string == "&amp;&lt;&gt;&quot;&#39;x")
}
