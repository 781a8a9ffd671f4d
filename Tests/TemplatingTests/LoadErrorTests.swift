import Testing
@testable import Templating

struct LoadErrorCase: Sendable, CustomTestStringConvertible {
    let name: String
    let templates: [String: String]
    let expected: TemplateError
    var testDescription: String { name }
}

func at(_ template: String, _ line: Int, _ column: Int) -> TemplateLocation {
    TemplateLocation(template: template, line: line, column: column)
}

func at(_ line: Int, _ column: Int) -> TemplateLocation {
    at("main", line, column)
}

let loadErrorCases: [LoadErrorCase] = [
    LoadErrorCase(name: "unterminated tag", templates: ["main": "a\n  {{name"], expected: .unterminatedTag(at(2, 3))),
    LoadErrorCase(name: "triple mustache", templates: ["main": "x {{{name}}}"], expected: .rawOutputForbidden(at(1, 3))),
    LoadErrorCase(name: "ampersand raw", templates: ["main": "<p>\n{{& name}}</p>"], expected: .rawOutputForbidden(at(2, 1))),
    LoadErrorCase(name: "set delimiter", templates: ["main": "{{=<% %>=}}"], expected: .unsupportedTag("=<% %>=", at(1, 1))),
    LoadErrorCase(name: "empty tag", templates: ["main": "a{{ }}"], expected: .invalidName("", at(1, 2))),
    LoadErrorCase(name: "empty dotted segment", templates: ["main": "{{a..b}}"], expected: .invalidName("a..b", at(1, 1))),
    LoadErrorCase(name: "space in name", templates: ["main": "{{a b}}"], expected: .invalidName("a b", at(1, 1))),
    LoadErrorCase(name: "section without name", templates: ["main": "{{#}}{{/}}"], expected: .invalidName("", at(1, 1))),
    LoadErrorCase(name: "unclosed section", templates: ["main": "x\n {{#a}}\nbody"], expected: .unclosedSection("a", at(2, 2))),
    LoadErrorCase(name: "close without open", templates: ["main": "x{{/a}}"], expected: .unexpectedClose("a", at(1, 2))),
    LoadErrorCase(name: "mismatched close", templates: ["main": "{{#a}}{{^b}}{{/a}}{{/b}}"],
                  expected: .mismatchedClose(expected: "b", found: "a", at(1, 13))),
    LoadErrorCase(name: "unknown partial", templates: ["main": "<p>{{> nope}}</p>"], expected: .unknownPartial("nope", at(1, 4))),
    LoadErrorCase(name: "partial with space in name", templates: ["main": "{{> a b}}"], expected: .invalidName("a b", at(1, 1))),
    LoadErrorCase(name: "partial includes itself", templates: ["main": "{{#x}}{{> main}}{{/x}}"],
                  expected: .partialCycle(cycle: ["main", "main"], at(1, 7))),
    LoadErrorCase(name: "partials include each other", templates: ["a": "{{> b}}", "b": "x\n{{> c}}", "c": "{{> a}}", "main": "{{> a}}"],
                  expected: .partialCycle(cycle: ["a", "b", "c", "a"], at("c", 1, 1))),
    LoadErrorCase(name: "section opens a quoted value", templates: ["main": "{{#x}}<a href=\"{{/x}}\">"],
                  expected: .sectionChangesContext("x", at(1, 16))),
    LoadErrorCase(name: "section leaves a tag open", templates: ["main": "<p>{{#x}}<a {{/x}}>"],
                  expected: .sectionChangesContext("x", at(1, 13))),
    LoadErrorCase(name: "ends inside a tag", templates: ["main": "<p>ok</p>\n  <a href=\"x\""], expected: .endsInsideMarkup(at(2, 3))),
    LoadErrorCase(name: "ends inside script", templates: ["main": "<p>\n<script>\nlet a = 1"], expected: .endsInsideMarkup(at(2, 1))),
    LoadErrorCase(name: "ends inside comment", templates: ["main": "x <!-- {{! a }} x"], expected: .endsInsideMarkup(at(1, 3))),
    LoadErrorCase(name: "error names the template", templates: ["main": "ok", "patient/page": "\n\n  {{{x}}}"],
                  expected: .rawOutputForbidden(at("patient/page", 3, 3))),
    LoadErrorCase(name: "column counts Unicode scalars", templates: ["main": "æøå {{& x}}"], expected: .rawOutputForbidden(at(1, 5))),
]

@Test(arguments: loadErrorCases)
func loadingRefusesBrokenTemplates(errorCase: LoadErrorCase) {
    let error = #expect(throws: TemplateError.self) { try TemplateLibrary.parse(templates: errorCase.templates) }
    #expect(error == errorCase.expected)
    #expect(error?.location == errorCase.expected.location)
}

@Test func errorDescriptionLeadsWithFileLineColumn() {
    let error = TemplateError.unclosedSection("items", at("patient/page", 4, 7))
    #expect(error.description == "patient/page:4:7: section \"items\" is never closed")
}
