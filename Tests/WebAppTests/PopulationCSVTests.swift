import Testing
@testable import WebApp

/// CSV downloads: RFC 4180 quoting and the formula-injection guard.
@Suite struct PopulationCSVTests {
    static let fields: [(String, String)] = [
        ("plain", "plain"),
        ("", ""),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\r\nlines", "\"two\r\nlines\""),
        ("line\nfeed", "\"line\nfeed\""),
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+45 1234", "'+45 1234"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""),
        ("\tTAB", "'\tTAB"),
        ("a=b", "a=b"),
        ("–", "–"),
        ("Søren Ærø", "Søren Ærø"),
    ]

    @Test(arguments: fields)
    func fieldsAreQuotedAndGuarded(input: String, expected: String) {
        #expect(PopulationCSV.field(input) == expected)
    }

    @Test func recordsEndWithCRLF() {
        #expect(PopulationCSV.document([["a", "b"], ["1", "x,y"]]) == "a,b\r\n1,\"x,y\"\r\n")
    }

    @Test func aDownloadIsAnAttachmentWithASafeFileName() {
        let response = PopulationCSV.response([["a"]], filename: "list-\"7\";\r\nX: y")
        #expect(response.headers["Content-Type"] == "text/csv; charset=utf-8")
        #expect(response.headers["Content-Disposition"] == "attachment; filename=\"list-7Xy.csv\"")
        #expect(response.body == Array("a\r\n".utf8))
    }
}
