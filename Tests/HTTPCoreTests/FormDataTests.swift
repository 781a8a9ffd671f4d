import Testing
@testable import HTTPCore

/// application/x-www-form-urlencoded decoding, including the documented replacement of invalid UTF-8.
@Suite struct FormDataTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let input: String
        let expected: [String]
        var testDescription: String { input }
    }

    @Test(arguments: [
        Row(input: "a=1&b=2", expected: ["a=1", "b=2"]),
        Row(input: "name=J%C3%B8rgen+Hansen", expected: ["name=Jørgen Hansen"]),
        Row(input: "a=1&&b=", expected: ["a=1", "b="]),
        Row(input: "flag", expected: ["flag="]),
        Row(input: "a=x=y", expected: ["a=x=y"]),
        Row(input: "a=%2B%26%3D", expected: ["a=+&="]),
        Row(input: "a=100%", expected: ["a=100%"]),
        Row(input: "a=%zz", expected: ["a=%zz"]),
        Row(input: "a=%FF", expected: ["a=\u{FFFD}"]),
        Row(input: "x=1&x=2", expected: ["x=1", "x=2"]),
        Row(input: "", expected: []),
        Row(input: "%61=b", expected: ["a=b"]),
    ])
    func decodesPairsInOrder(_ row: Row) {
        let pairs = FormData.decode(Array(row.input.utf8)).map { "\($0.name)=\($0.value)" }
        #expect(pairs == row.expected)
    }

    @Test func requestQueryItemsUseFormDecoding() {
        let request = HTTPRequest(method: .get, target: "/s?q=a+b&lang=da")
        #expect(request.queryItems().map(\.value) == ["a b", "da"])
        #expect(HTTPRequest(method: .get, target: "/s").queryItems().isEmpty)
    }
}
