import Testing
@testable import Templating

struct ContextCase: Sendable, CustomTestStringConvertible {
    let template: String
    /// nil when the template must load; otherwise the violation and its 1-based column on line 1.
    let violation: HTMLContextViolation?
    let column: Int
    var testDescription: String { template }

    static func allowed(_ template: String) -> ContextCase { ContextCase(template: template, violation: nil, column: 0) }
    static func refused(_ template: String, _ violation: HTMLContextViolation, at column: Int) -> ContextCase {
        ContextCase(template: template, violation: violation, column: column)
    }
}

let contextCases: [ContextCase] = [
    .allowed("<p>{{x}}</p>"),
    .allowed("<a href=\"{{x}}\">{{y}}</a>"),
    .allowed("<a href='/q/{{x}}'>go</a>"),
    .allowed("<textarea name=\"a\">{{x}}</textarea>"),
    .allowed("<!DOCTYPE html><title>{{x}}</title>"),
    .allowed("<!-- note --><p>{{x}}</p>"),
    .allowed("<script src=\"/app.js\"></script><p>{{x}}</p>"),
    .allowed("<SCRIPT>if (a </b) {}</Script ><p>{{x}}</p>"),
    .allowed("<style>p { color: red }</style><p class=\"{{x}}\"></p>"),
    .allowed("<br/><img alt=\"{{x}}\" src=\"/i.png\" /><p>{{y}}</p>"),
    .allowed("<input {{#c}}checked{{/c}}>"),
    .allowed("<input type=\"radio\" required {{#d}}disabled{{/d}} name=\"{{n}}\">"),
    .allowed("<option value=\"{{v}}\"{{#s}} selected{{/s}}>{{label}}</option>"),
    .allowed("<input {{#c}}value=\"{{v}}\"{{/c}}>"),
    .allowed("<p class=\"a {{#b}}b {{x}}{{/b}}\">"),
    .allowed("<p>{{> part}}</p>"),
    .allowed("<p>1 < 2 {{x}}</p>"),
    .allowed("<script>{{#x}}var a = 1;{{/x}}</script>"),
    .allowed("<a data-x=\"{{! note }}{{x}}\">"),
    .refused("<a {{x}}>", .outsideQuotedAttributeValue, at: 4),
    .refused("<{{x}}>", .outsideQuotedAttributeValue, at: 2),
    .refused("<a{{x}}>", .outsideQuotedAttributeValue, at: 3),
    .refused("</{{x}}>", .outsideQuotedAttributeValue, at: 3),
    .refused("<a href=\"x\" {{x}}>", .outsideQuotedAttributeValue, at: 13),
    .refused("<a href=\"x\"{{x}}>", .outsideQuotedAttributeValue, at: 12),
    .refused("<a href={{x}}>", .unquotedAttributeValue(attribute: "href"), at: 9),
    .refused("<a href=/q/{{x}}>", .unquotedAttributeValue(attribute: "href"), at: 12),
    .refused("<a href = {{x}}>", .unquotedAttributeValue(attribute: "href"), at: 11),
    .refused("<button onclick=\"{{x}}\">", .eventHandlerAttribute(attribute: "onclick"), at: 18),
    .refused("<body ONLOAD='go(\"{{x}}\")'>", .eventHandlerAttribute(attribute: "onload"), at: 19),
    .refused("<div style=\"width: {{x}}%\">", .unsafeAttribute(attribute: "style"), at: 20),
    .refused("<iframe srcdoc=\"{{x}}\">", .unsafeAttribute(attribute: "srcdoc"), at: 17),
    .refused("<script>var a = \"{{x}}\";</script>", .rawTextElement(element: "script"), at: 18),
    .refused("<script>\"</scrip{{x}}\"</script>", .rawTextElement(element: "script"), at: 17),
    .refused("<script>\"</scripts>{{x}}\"</script>", .rawTextElement(element: "script"), at: 20),
    .refused("<style>p { color: {{x}} }</style>", .rawTextElement(element: "style"), at: 19),
    .refused("<!-- {{x}} -->", .comment, at: 6),
    .refused("<!DOCTYPE {{x}}>", .comment, at: 11),
    .refused("<a href=\"{{> part}}\">", .partialOutsideText, at: 10),
    .refused("<script>{{> part}}</script>", .partialOutsideText, at: 9),
    .refused("<a href={{#x}}y{{/x}}>", .sectionSplitsMarkup, at: 9),
    .refused("<a{{#x}} b{{/x}}>", .sectionSplitsMarkup, at: 3),
    .refused("<a on{{#x}}{{/x}}click=\"{{v}}\">", .sectionSplitsMarkup, at: 12),
    .refused("<a {{#x}}on{{/x}}click=\"{{v}}\">", .sectionSplitsMarkup, at: 18),
    .refused("<input {{#c}}checked{{/c}}{{#d}}disabled{{/d}}>", .sectionSplitsMarkup, at: 27),
]

@Test(arguments: contextCases)
func variablesMaySitOnlyWhereEscapingSuffices(contextCase: ContextCase) throws {
    let templates = ["main": contextCase.template, "part": "<b>part</b>"]
    if let violation = contextCase.violation {
        #expect(throws: TemplateError.unsafeContext(violation, TemplateLocation(template: "main", line: 1, column: contextCase.column))) {
            try TemplateLibrary.parse(templates: templates)
        }
    } else {
        _ = try TemplateLibrary.parse(templates: templates)
    }
}
