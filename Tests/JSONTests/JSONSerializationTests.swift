import Testing
@testable import JSON

@Suite struct JSONSerializationTests {
    @Test("serialising then parsing gives the same tree", arguments: [
        #"{"resourceType":"Questionnaire","item":[{"linkId":"1","weight":1.50,"ok":true,"x":null}]}"#,
        #"["\u0000\u001f\"\\/\n",-0.0,1E+2,{}]"#,
        #"{"z":1,"a":{"y":[],"b":"æøå 😀"}}"#,
    ])
    func roundTrip(text: String) throws {
        let value = try JSON.parse(text)
        #expect(try JSON.parse(value.serialized()) == value)
        #expect(try JSON.parse(value.serialized(pretty: true)) == value)
        #expect(try JSON.parse(value.serializedBytes()) == value)
    }

    @Test("strings are escaped per RFC 8259 §7", arguments: [
        ("a\"b", #""a\"b""#),
        ("a\\b", #""a\\b""#),
        ("line\nbreak\ttab\r", #""line\nbreak\ttab\r""#),
        ("\u{01}\u{1F}", #""\u0001\u001F""#),
        ("æ/😀", "\"æ/😀\""),
    ])
    func escapesStrings(value: String, expected: String) {
        #expect(JSON.string(value).serialized() == expected)
    }

    @Test func keyOrderAndLiteralsAreKept() throws {
        let text = #"{"b":1.50,"a":[true,null],"c":"x"}"#
        #expect(try JSON.parse(text).serialized() == text)
    }

    @Test func prettyOutputIndentsByTwoSpaces() {
        let value: JSON = ["a": [1, 2], "b": [:], "c": []]
        #expect(value.serialized(pretty: true) == "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {},\n  \"c\": []\n}")
    }

    @Test func objectSubscriptAppendsReplacesAndRemoves() {
        var object = JSONObject()
        object["b"] = 1
        object["a"] = 2
        object["b"] = 3
        #expect(object.keys == ["b", "a"])
        #expect(object["b"] == 3)
        object["b"] = nil
        #expect(object.keys == ["a"])
        #expect(object.count == 1)
        #expect(Array(object).map(\.key) == ["a"])
    }
}
