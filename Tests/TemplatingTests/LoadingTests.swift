import Foundation
import Testing
@testable import Templating

/// Writes `files` (relative path → contents) under a fresh temporary folder, runs `body`, removes it.
func withTemplateFolder<T>(_ files: [String: String], _ body: (String) throws -> T) throws -> T {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("byneed-templates-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    for (path, contents) in files {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }
    return try body(root.path)
}

@Test func loadsHTMLFilesRecursivelyNamedByRelativePath() throws {
    let library = try withTemplateFolder([
        "layout.html": "<main>{{content}}</main>",
        "patient/page.html": "<h1>{{title}}</h1>{{> partials/error-summary}}",
        "partials/error-summary.html": "{{#errors}}<li>{{.}}</li>{{/errors}}",
        "README.txt": "{{{ not a template }}}",
    ]) { try TemplateLibrary.load(directory: $0, strict: true) }
    #expect(library.names == ["layout", "partials/error-summary", "patient/page"])
    let page = try library.render("patient/page", ["title": "Spørgeskema", "errors": ["Svar mangler"]])
    #expect(page.string == "<h1>Spørgeskema</h1><li>Svar mangler</li>")
    #expect(try library.render("layout", ["content": .html(page)]).string == "<main>\(page.string)</main>")
}

@Test func loadReportsErrorsWithTheTemplatePath() throws {
    let error = try withTemplateFolder([
        "layout.html": "ok",
        "patient/page.html": "<p>\n  <a href={{url}}>",
    ]) { path in
        #expect(throws: TemplateError.self) { try TemplateLibrary.load(directory: path) }
    }
    #expect(error == .unsafeContext(.unquotedAttributeValue(attribute: "href"),
                                    TemplateLocation(template: "patient/page", line: 2, column: 11)))
}

@Test func loadRefusesAMissingFolder() {
    let error = #expect(throws: TemplateError.self) {
        try TemplateLibrary.load(directory: "/nonexistent/byneed-templates")
    }
    guard case .unreadableDirectory = error else { Issue.record("wrong error \(String(describing: error))"); return }
}

@Test func loadRefusesInvalidUTF8() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("byneed-templates-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    try Data([0x3C, 0x70, 0x3E, 0xFF]).write(to: root.appendingPathComponent("bad.html"))
    let error = #expect(throws: TemplateError.self) { try TemplateLibrary.load(directory: root.path) }
    guard case .unreadableFile(_, let reason) = error else { Issue.record("wrong error \(String(describing: error))"); return }
    #expect(reason == "not valid UTF-8")
}
