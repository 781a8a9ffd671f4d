import Testing
import Foundation
@testable import JSON

@Suite struct JSONParserTests {
    // MARK: Valid documents

    static let validDocuments: [(String, JSON)] = [
        ("null", .null),
        ("true", true),
        (" false ", false),
        ("0", .number(JSONNumber(literal: "0")!)),
        ("-0", .number(JSONNumber(literal: "-0")!)),
        ("1.50", .number(JSONNumber(literal: "1.50")!)),
        ("1e10", .number(JSONNumber(literal: "1e10")!)),
        ("-2.5E-3", .number(JSONNumber(literal: "-2.5E-3")!)),
        ("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", .string("a\"b\\c/d\u{08}\u{0C}\n\r\t")),
        ("\"\\u00e6\\u00F8\\u00e5\"", .string("æøå")),
        ("\"\\ud83d\\ude00\"", .string("😀")),
        ("\"rå æble 😀\"", .string("rå æble 😀")),
        ("[]", .array([])),
        ("{}", .object(JSONObject())),
        ("[1, [2, {\"a\": null}]]", [1, [2, ["a": nil]]]),
        ("{\"b\": 1, \"a\": 2}", ["b": 1, "a": 2]),
        ("\t\r\n [ ] \n", .array([])),
    ]

    @Test("strict RFC 8259 documents parse to the expected tree", arguments: validDocuments)
    func parsesValidDocument(text: String, expected: JSON) throws {
        #expect(try JSON.parse(text) == expected)
    }

    // MARK: Invalid documents

    static let invalidDocuments: [(String, JSONParseError.Reason, Int, Int)] = [
        ("", .unexpectedEnd, 1, 1),
        ("[1,]", .unexpectedCharacter("']'"), 1, 4),
        ("{\"a\":1,}", .unexpectedCharacter("'}'"), 1, 8),
        ("// c\n1", .unexpectedCharacter("'/'"), 1, 1),
        ("01", .invalidNumber, 1, 1),
        ("1.", .invalidNumber, 1, 1),
        (".5", .unexpectedCharacter("'.'"), 1, 1),
        ("1e", .invalidNumber, 1, 1),
        ("+1", .unexpectedCharacter("'+'"), 1, 1),
        ("-", .invalidNumber, 1, 1),
        ("NaN", .unexpectedCharacter("'N'"), 1, 1),
        ("tru", .unexpectedEnd, 1, 4),
        ("[\n  truE]", .unexpectedCharacter("'E'"), 2, 6),
        ("\"abc", .unexpectedEnd, 1, 5),
        ("\"a\tb\"", .controlCharacterInString, 1, 3),
        ("\"\\x\"", .invalidEscape, 1, 2),
        ("\"\\u12G4\"", .invalidUnicodeEscape, 1, 6),
        ("\"\\ud83d\"", .loneSurrogate, 1, 2),
        ("\"\\ude00\"", .loneSurrogate, 1, 2),
        ("\"\\ud83d\\u0041\"", .loneSurrogate, 1, 2),
        ("{\"a\": 1,\n \"a\": 2}", .duplicateKey("a"), 2, 2),
        ("{\"a\" 1}", .unexpectedCharacter("'1'"), 1, 6),
        ("[1 2]", .unexpectedCharacter("'2'"), 1, 4),
        ("1 2", .trailingContent, 1, 3),
        ("{'a': 1}", .unexpectedCharacter("'''"), 1, 2),
    ]

    @Test("malformed documents fail with reason, line and column", arguments: invalidDocuments)
    func rejectsInvalidDocument(text: String, reason: JSONParseError.Reason, line: Int, column: Int) {
        #expect(throws: JSONParseError(reason: reason, line: line, column: column)) {
            try JSON.parse(text)
        }
    }

    @Test func invalidUTF8IsRejected() {
        #expect(throws: JSONParseError(reason: .invalidUTF8, line: 1, column: 3)) {
            try JSON.parse([0x22, 0x61, 0xC3, 0x28, 0x22])
        }
    }

    @Test func errorDescriptionNamesLineAndColumn() {
        do {
            _ = try JSON.parse("{\n\"a\": [1,]\n}")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "line 2, column 9: unexpected character ']'")
        }
    }

    // MARK: Depth limit

    @Test("nesting up to the limit parses, one more level fails", arguments: [1, 5, 256])
    func depthLimit(limit: Int) throws {
        let ok = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        _ = try JSON.parse(ok, maxDepth: limit)
        let tooDeep = "[" + ok + "]"
        #expect(throws: JSONParseError(reason: .tooDeep(limit: limit), line: 1, column: limit + 1)) {
            try JSON.parse(tooDeep, maxDepth: limit)
        }
    }

    @Test func hostileDeepNestingFailsWithoutCrashing() {
        let hostile = String(repeating: "{\"a\":[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSON.parse(hostile) }
    }

    // MARK: Numbers

    @Test("numbers keep their literal text and expose exact values", arguments: [
        ("1.50", Decimal(string: "1.5")!, nil as Int?),
        ("12", Decimal(12), 12),
        ("-7", Decimal(-7), -7),
        ("0.1", Decimal(string: "0.1")!, nil),
        ("2e2", Decimal(200), nil),
    ])
    func numbersKeepLiteral(text: String, decimal: Decimal, int: Int?) throws {
        let value = try JSON.parse(text)
        #expect(value.numberValue?.literal == text)
        #expect(value.decimalValue == decimal)
        #expect(value.intValue == int)
        #expect(value.serialized() == text)
    }

    @Test func numberInitialisersWriteCanonicalLiterals() {
        #expect(JSONNumber(42).literal == "42")
        #expect(JSONNumber(Decimal(string: "3.25")!).literal == "3.25")
        #expect(JSONNumber(literal: "01") == nil)
        #expect(JSON(floatLiteral: 1.5).serialized() == "1.5")
    }

    // MARK: Accessors

    @Test func accessorsReadTheTree() throws {
        let value = try JSON.parse(#"{"s":"x","b":true,"n":3,"a":[1,"y"],"o":{"k":null}}"#)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["b"]?.boolValue == true)
        #expect(value["n"]?.intValue == 3)
        #expect(value["a"]?[1]?.stringValue == "y")
        #expect(value["a"]?[2] == nil)
        #expect(value["o"]?["k"]?.isNull == true)
        #expect(value["o"]?.objectValue?.keys == ["k"])
        #expect(value["missing"] == nil)
        #expect(value["s"]?.intValue == nil)
    }
}
