import FHIRPath
import Foundation
import Synchronization
import Testing

/// Grammar, literals, precedence and compile-time errors (FHIRPath N1 Appendix "Grammar").
struct FHIRPathParserTests {
    @Test("operator precedence follows N1 §Operator precedence", arguments: [
        ("2 + 3 * 4", "[14]"),
        ("(2 + 3) * 4", "[20]"),
        ("10 - 2 - 3", "[5]"),
        ("12 / 2 / 3", "[2]"),
        ("7 div 2 * 2", "[6]"),
        ("-2 * 3", "[-6]"),
        ("-(1 + 2)", "[-3]"),
        ("1 + 2 = 3", "[true]"),
        ("1 < 2 = true", "[true]"),
        ("true or false and false", "[true]"),
        ("false and true or true", "[true]"),
        ("true xor true or true", "[true]"),
        ("false implies true and false", "[true]"),
        ("1 | 2 = 1 | 2", "[true]"),
        ("(1 | 2).count() = 2", "[true]"),
        ("1 in 1 | 2", "[true]"),
        ("'a' & 'b' = 'ab'", "[true]"),
        ("1 + 1 is Integer", "[true]"),
        ("(1 | 2 | 3)[1] + 1", "[3]"),
        ("'abc'.length() * 2", "[6]"),
        ("2 * 3 > 5 and 1 < 2", "[true]"),
    ])
    func precedence(expression: String, expected: String) throws {
        #expect(try Fixture.evaluate(expression) == expected)
    }

    @Test("every literal form parses to its value", arguments: [
        ("true", "[true]"), ("false", "[false]"), ("{}", "[]"), ("42", "[42]"), ("3.50", "[3.5]"),
        ("'it\\'s'", "[\"it's\"]"), ("'a\\tb'", "[\"a\\tb\"]"), ("'\\u00e6'", "[\"æ\"]"), ("'\\\\'", "[\"\\\\\"]"),
        ("@2026-01-02", "[\"2026-01-02\"]"), ("@2026-01", "[\"2026-01\"]"), ("@2026", "[\"2026\"]"),
        ("@2026-01-02T10:00:00+01:00", "[\"2026-01-02T10:00:00+01:00\"]"), ("@2026-01-02T10:00:00.125Z", "[\"2026-01-02T10:00:00.125Z\"]"),
        ("@2026-01-02T", "[\"2026-01-02T\"]"), ("@T10:00", "[\"10:00\"]"), ("@T10:00:30.5", "[\"10:00:30.5\"]"),
        ("4 'mg'", "[{\"value\":4,\"unit\":\"mg\"}]"), ("3 days", "[{\"value\":3,\"unit\":\"days\"}]"),
        ("%ucum", "[\"http://unitsofmeasure.org\"]"), ("1 // comment", "[1]"), ("/* block */ 2", "[2]"),
    ])
    func literal(expression: String, expected: String) throws {
        #expect(try Fixture.evaluate(expression) == expected)
    }

    @Test("identifiers: backticks, keywords after a dot, %'quoted' variables")
    func identifiers() throws {
        let patient = try Fixture.json("patient.json")
        #expect(try Fixture.evaluate("`name`.`given`.first()", on: patient) == "[\"Anne\"]")
        #expect(try Fixture.evaluate("'abc'.contains('b')") == "[true]")
        let expression = try FHIRPathExpression.compile("%'my var' + %`other`")
        let environment = FHIRPathEnvironment(variables: ["my var": [.integer(1)], "other": [.integer(2)]])
        #expect(try expression.evaluate(nil, environment: environment) == [.integer(3)])
    }

    @Test("compile errors name the problem and its character position", arguments: [
        ("1 +", FHIRPathError.syntax(position: 3, message: "expected a value, path or '(' but found end of expression")),
        ("foo(1)", .unknownFunction(name: "foo", position: 0)),
        ("name.bar()", .unknownFunction(name: "bar", position: 5)),
        ("'a'.substring()", .arity(name: "substring", position: 4, expected: 1...2, actual: 0)),
        ("count(1)", .arity(name: "count", position: 0, expected: 0...0, actual: 1)),
        ("iif(true)", .arity(name: "iif", position: 0, expected: 2...3, actual: 1)),
        ("(1 + 2", .syntax(position: 6, message: "expected ')' but found end of expression")),
        ("'open", .syntax(position: 0, message: "text starting here is not closed with '")),
        ("@2026-13-01", .syntax(position: 0, message: "'@2026-13-01' is not a valid date, dateTime or time")),
        ("1 2", .syntax(position: 2, message: "unexpected number 2")),
        ("$that", .syntax(position: 0, message: "unknown special variable '$that'; use $this, $index or $total")),
        ("99999999999999999999", .syntax(position: 0, message: "integer 99999999999999999999 is too large")),
        ("1 # 2", .syntax(position: 2, message: "unexpected character '#'")),
    ])
    func compileError(expression: String, expected: FHIRPathError) {
        #expect(throws: expected) { try FHIRPathExpression.compile(expression) }
    }

    @Test("error descriptions are plain words with the position")
    func errorDescription() {
        #expect(FHIRPathError.unknownFunction(name: "foo", position: 4).description == "unknown function 'foo' at character 4")
        #expect(FHIRPathError.arity(name: "iif", position: 0, expected: 2...3, actual: 1).description
            == "function 'iif' at character 0 takes 2 to 3 argument(s), not 1")
    }

    @Test("deeply nested expressions are refused, not a stack overflow")
    func nestingLimit() {
        let deep = String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500)
        #expect(throws: FHIRPathError.self) { try FHIRPathExpression.compile(deep) }
    }
}

/// Limits that keep the parser and evaluator off the end of the stack.
struct FHIRPathDepthTests {
    @Test("long chains and sums beyond the tree depth limit are refused", arguments: [
        Array(repeating: "1", count: 200).joined(separator: " + "),
        "name" + String(repeating: ".given", count: 200),
        String(repeating: "-", count: 100) + "1",
    ])
    func tooDeep(expression: String) {
        #expect(throws: FHIRPathError.self) { try FHIRPathExpression.compile(expression) }
    }

    @Test("the deepest accepted expressions evaluate in a debug build on a thread with a 1 MiB stack")
    func deepestAcceptedOnSmallStack() throws {
        let sum = Array(repeating: "1", count: 127).joined(separator: " + ")
        let parentheses = String(repeating: "(", count: 63) + "1" + String(repeating: ")", count: 63)
        let chain = "iif(true, " + Array(repeating: "1", count: 100).joined(separator: " + ") + ", 0).toString().length()"
        let expressions = try [sum, parentheses, chain].map { try FHIRPathExpression.compile($0) }
        let results = Mutex<[[FHIRPathValue]]>([])
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let values = expressions.map { (try? $0.evaluate(nil, environment: FHIRPathEnvironment())) ?? [] }
            results.withLock { $0 = values }
            done.signal()
        }
        thread.stackSize = 1024 * 1024
        thread.start()
        done.wait()
        #expect(results.withLock { $0 } == [[.integer(127)], [.integer(1)], [.integer(3)]])
    }
}
