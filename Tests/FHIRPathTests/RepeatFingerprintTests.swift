@testable import FHIRPath
import JSON
import Testing

/// `repeat()` tells nodes apart by a fingerprint before comparing them in full; the fingerprint
/// must never separate JSON that FHIRPath equality takes as equal.
struct RepeatFingerprintTests {
    @Test("equal JSON has equal fingerprints", arguments: [
        ("member order", #"{"linkId":"a","text":"x","answer":[{"valueInteger":1}]}"#, #"{"answer":[{"valueInteger":1}],"text":"x","linkId":"a"}"#),
        ("number literals", #"{"value":1.0}"#, #"{"value":1.00}"#),
        ("nested member order", #"{"a":{"x":1,"y":2}}"#, #"{"a":{"y":2,"x":1}}"#),
        ("arrays", #"[{"a":true},"b",null]"#, #"[{"a":true},"b",null]"#),
        ("canonically equivalent text", "{\"t\":\"caf\u{E9}\"}", "{\"t\":\"cafe\u{301}\"}"),
    ])
    func equalJSONSharesItsFingerprint(_ name: String, _ left: String, _ right: String) throws {
        let a = try JSON.parse(Array(left.utf8)), b = try JSON.parse(Array(right.utf8))
        try #require(JSONComparison.equal(a, b), "\(name): the fixture must be equal JSON")
        #expect(JSONComparison.fingerprint(a) == JSONComparison.fingerprint(b), "\(name)")
    }

    @Test("different items of a response have different fingerprints")
    func differentItemsDiffer() throws {
        let a = try JSON.parse(Array(#"{"linkId":"item1","answer":[{"valueInteger":1}]}"#.utf8))
        let b = try JSON.parse(Array(#"{"linkId":"item2","answer":[{"valueInteger":1}]}"#.utf8))
        #expect(JSONComparison.fingerprint(a) != JSONComparison.fingerprint(b))
    }

    @Test("repeat() drops items equal to earlier ones, whatever their member order or number literals", arguments: [
        (#"{"item":[{"linkId":"a","text":"x"},{"text":"x","linkId":"a"},{"linkId":"b"}]}"#, 2),
        (#"{"item":[{"linkId":"a","n":1.0},{"linkId":"a","n":1.00}]}"#, 1),
        (#"{"item":[{"linkId":"g","item":[{"linkId":"a"}]},{"linkId":"a"}]}"#, 2),
    ])
    func repeatDropsEqualItems(_ resource: String, _ count: Int) throws {
        let json = try JSON.parse(Array(resource.utf8))
        #expect(try Fixture.evaluate("repeat(item).count()", on: json) == "[\(count)]")
    }
}
