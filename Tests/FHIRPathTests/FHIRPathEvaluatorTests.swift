import FHIRPath
import Foundation
import JSON
import Testing

/// Operators and functions over literals and the sample Patient/Observation (FHIRPath N1 §5–§7).
struct FHIRPathEvaluatorTests {
    @Test("three-valued logic matches the N1 §6.5 truth tables", arguments: [
        ("and", ["true": ["true": "[true]", "false": "[false]", "{}": "[]"],
                 "false": ["true": "[false]", "false": "[false]", "{}": "[false]"],
                 "{}": ["true": "[]", "false": "[false]", "{}": "[]"]]),
        ("or", ["true": ["true": "[true]", "false": "[true]", "{}": "[true]"],
                "false": ["true": "[true]", "false": "[false]", "{}": "[]"],
                "{}": ["true": "[true]", "false": "[]", "{}": "[]"]]),
        ("xor", ["true": ["true": "[false]", "false": "[true]", "{}": "[]"],
                 "false": ["true": "[true]", "false": "[false]", "{}": "[]"],
                 "{}": ["true": "[]", "false": "[]", "{}": "[]"]]),
        ("implies", ["true": ["true": "[true]", "false": "[false]", "{}": "[]"],
                     "false": ["true": "[true]", "false": "[true]", "{}": "[true]"],
                     "{}": ["true": "[true]", "false": "[]", "{}": "[]"]]),
    ])
    func truthTable(operation: String, table: [String: [String: String]]) throws {
        for (left, row) in table {
            for (right, expected) in row {
                #expect(try Fixture.evaluate("(\(left)) \(operation) (\(right))") == expected, "\(left) \(operation) \(right)")
            }
        }
    }

    @Test("operators, with empty propagation", arguments: [
        ("1 + 2", "[3]"), ("5 - 7", "[-2]"), ("2 * 3", "[6]"), ("7 / 2", "[3.5]"), ("7 div 2", "[3]"), ("-7 div 2", "[-3]"),
        ("7 mod 3", "[1]"), ("-7 mod 3", "[-1]"), ("7.5 mod 2", "[1.5]"), ("1 / 0", "[]"), ("1 div 0", "[]"), ("1 mod 0", "[]"),
        ("1 + {}", "[]"), ("{} * 2", "[]"), ("'a' + 'b'", "[\"ab\"]"), ("'a' & {}", "[\"a\"]"), ("{} & {}", "[\"\"]"),
        ("1 = 1.0", "[true]"), ("1.0 = 1.00", "[true]"), ("'a' = 'A'", "[false]"), ("{} = 1", "[]"), ("{} = {}", "[]"),
        ("(1 | 2) = (1 | 2)", "[true]"), ("(1 | 2) = (2 | 1)", "[false]"), ("1 != 1", "[false]"), ("{} != 1", "[]"),
        ("'Hello  World' ~ 'hello world'", "[true]"), ("1.2 ~ 1.23", "[true]"), ("1.2 ~ 1.3", "[false]"), ("{} ~ {}", "[true]"),
        ("{} ~ 1", "[false]"), ("(1 | 2) ~ (2 | 1)", "[true]"), ("'a' !~ 'A'", "[false]"),
        ("@2026-01-02 = @2026-01", "[]"), ("@2026-01-02 ~ @2026-01", "[false]"), ("@2026-01-02 > @2026-01", "[]"),
        ("@2026-01 < @2026-02-15", "[true]"), ("@2026-01-02T10:00:00+01:00 = @2026-01-02T09:00:00Z", "[true]"),
        ("@2026-01-02T10:00:00+01:00 < @2026-01-02T10:00:00Z", "[true]"), ("@T10:00 < @T11:00", "[true]"),
        ("4 'mg' = 4 'mg'", "[true]"), ("4 'mg' < 5 'mg'", "[true]"), ("4 'mg' = 4 'g'", "[]"), ("1 day = 1 'd'", "[true]"), ("1 year = 1 'a'", "[]"), ("1 year ~ 1 'a'", "[true]"), ("1 'mg' ~ 1 'g'", "[false]"),
        ("'abc' < 'abd'", "[true]"), ("1 < {}", "[]"), ("1 in (1 | 2)", "[true]"), ("{} in (1 | 2)", "[]"),
        ("1 in {}", "[false]"), ("(1 | 2) contains 3", "[false]"), ("(1 | 2) | (2 | 3)", "[1,2,3]"),
        ("@2026-01-31 + 1 month", "[\"2026-02-28\"]"), ("@2026-01-02 - 3 days", "[\"2025-12-30\"]"),
        ("@2026-01-02T23:30:00Z + 1 hour", "[\"2026-01-03T00:30:00Z\"]"), ("2 'mg' + 3 'mg'", "[{\"value\":5,\"unit\":\"mg\"}]"),
    ])
    func operatorResult(expression: String, expected: String) throws {
        #expect(try Fixture.evaluate(expression) == expected)
    }

    @Test("functions over the sample Patient", arguments: [
        ("name.given", "[\"Anne\",\"Marie\",\"Annie\"]"), ("name.given.count()", "[3]"), ("name.exists(use = 'maiden')", "[false]"),
        ("nothing.empty()", "[true]"), ("name.all(given.exists())", "[true]"), ("(true | false).anyFalse()", "[true]"),
        ("(true | false).allTrue()", "[false]"), ("{}.allFalse()", "[true]"), ("(1 | 2).subsetOf(1 | 2 | 3)", "[true]"),
        ("(1 | 2 | 3).supersetOf(4)", "[false]"), ("name.given.combine(name.given).distinct().count()", "[3]"),
        ("name.given.combine('Anne').isDistinct()", "[false]"), ("name.where(use = 'official').family", "[\"Jensen\"]"),
        ("name.select(given.first())", "[\"Anne\",\"Annie\"]"), ("name.given.where($index = 1)", "[\"Marie\"]"),
        ("name.given.tail()", "[\"Marie\",\"Annie\"]"), ("name.given.skip(2)", "[\"Annie\"]"), ("name.given.take(1)", "[\"Anne\"]"),
        ("name.given.last()", "[\"Annie\"]"), ("(1 | 2 | 3).intersect(2 | 3 | 4)", "[2,3]"), ("(1 | 2 | 3).exclude(2)", "[1,3]"),
        ("(1 | 2).union(2 | 3)", "[1,2,3]"), ("(1 | 2).combine(2)", "[1,2,2]"), ("iif({}, 'y', 'n')", "[\"n\"]"),
        ("iif(false, 'y')", "[]"), ("'12'.toInteger()", "[12]"), ("'1.5'.toInteger()", "[]"), ("'1.50'.toDecimal()", "[1.5]"),
        ("true.toInteger()", "[1]"), ("'Yes'.toBoolean()", "[true]"), ("2.toBoolean()", "[]"), ("12.toString()", "[\"12\"]"),
        ("'2026-01-02'.convertsToDate()", "[true]"), ("'2026-13-02'.convertsToDate()", "[false]"),
        ("'x'.convertsToDecimal()", "[false]"), ("'a1'.convertsToInteger()", "[false]"), ("1.convertsToString()", "[true]"),
        ("'2026-01-02T10:00:00Z'.convertsToDateTime()", "[true]"), ("'t'.convertsToBoolean()", "[true]"),
        ("'abcdef'.indexOf('cd')", "[2]"), ("'abcdef'.substring(2, 3)", "[\"cde\"]"), ("'abc'.substring(5)", "[]"),
        ("'abc'.startsWith('ab')", "[true]"), ("'abc'.endsWith('bc')", "[true]"), ("'abc'.contains('d')", "[false]"),
        ("'AbC'.upper()", "[\"ABC\"]"), ("'AbC'.lower()", "[\"abc\"]"), ("'abc'.replace('', 'x')", "[\"xaxbxcx\"]"),
        ("'a1b2'.matches('[0-9]')", "[true]"), ("'a1b2'.replaceMatches('[0-9]', '#')", "[\"a#b#\"]"), ("'abc'.length()", "[3]"),
        ("'ab'.toChars()", "[\"a\",\"b\"]"), ("'  x  '.trim()", "[\"x\"]"), ("'a,b'.split(',')", "[\"a\",\"b\"]"),
        ("name.given.join(', ')", "[\"Anne, Marie, Annie\"]"), ("(-5).abs()", "[5]"), ("1.1.ceiling()", "[2]"),
        ("(-1.1).floor()", "[-2]"), ("(-1.9).truncate()", "[-1]"), ("3.14159.round(2)", "[3.14]"), ("2.5.round()", "[3]"),
        ("2.power(10)", "[1024]"), ("4.sqrt()", "[2]"), ("(-4).sqrt()", "[]"), ("0.exp()", "[1]"), ("1.ln()", "[0]"),
        ("100.log(10)", "[2]"), ("(1 | 2 | 3).sum()", "[6]"), ("(3 | 1 | 2).min()", "[1]"),
        ("(3 | 1 | 2).max()", "[3]"), ("{}.sum()", "[]"), ("{}.avg()", "[]"), ("(1 | 2 | 3 | 4).avg()", "[2.5]"), ("(1 | 2 | 3).aggregate($this + $total, 0)", "[6]"),
        ("extension('http://example.org/fhir/StructureDefinition/shoe-size').value", "[42.5]"),
        ("Patient.children().count()", "[16]"), ("name.repeat(given).count()", "[3]"), ("active.hasValue()", "[true]"),
        ("name.hasValue()", "[false]"), ("today()", "[\"2026-01-02\"]"), ("now()", "[\"2026-01-02T10:00:00.000+01:00\"]"),
        ("birthDate < @2000-01-01", "[true]"), ("birthDate + 1 year", "[\"1975-12-25\"]"), ("(1 | 'a' | 2.5 | true).ofType(Integer)", "[1]"), ("1 is System.Integer", "[true]"),
        ("1 as String", "[]"), ("Patient is Patient", "[true]"), ("name.first() is HumanName", "[true]"), ("1 'mg'.toString()", "[\"1 'mg'\"]"),
    ])
    func function(expression: String, expected: String) throws {
        #expect(try Fixture.evaluate(expression, on: try Fixture.json("patient.json")) == expected)
    }

    @Test("decimal arithmetic is exact, never binary floating point")
    func decimalExactness() throws {
        #expect(try Fixture.evaluate("0.1 + 0.2 = 0.3") == "[true]")
        #expect(try Fixture.evaluate("0.1 + 0.2") == "[0.3]")
        #expect(try Fixture.evaluate("(0.1 | 0.2 | 0.3 | 0.4).sum()") == "[1]")
        #expect(try Fixture.evaluate("1.1 * 3") == "[3.3]")
    }

    @Test("choice types: value finds every value[x], typed by its suffix")
    func choiceTypes() throws {
        let observation = try Fixture.json("observation.json")
        #expect(try Fixture.evaluate("component.value.ofType(integer)", on: observation) == "[64]")
        #expect(try Fixture.evaluate("component.value.ofType(decimal)", on: observation) == "[0.5]")
        #expect(try Fixture.evaluate("value.ofType(Quantity).code", on: observation) == "[\"kg\"]")
        #expect(try Fixture.evaluate("effective > @2026-01-02T09:00:00Z", on: observation) == "[true]")
        #expect(try Fixture.evaluate("component.value.count()", on: observation) == "[6]")
        #expect(try Fixture.evaluate("Observation.value + 1 'kg'", on: observation) == "[{\"value\":73.5,\"unit\":\"kg\"}]")
        #expect(try Fixture.evaluate("value < 80 'kg'", on: observation) == "[true]")
    }

    @Test("runtime errors: singletons, types, overflow", arguments: [
        ("(1 | 2) + 1", FHIRPathError.singletonExpected(operation: "+", count: 2)),
        ("1 + 'a'", .type("+ cannot combine integer with string")),
        ("9223372036854775807 + 1", .overflow(operation: "+")),
        ("(1 | 2).single()", .singletonExpected(operation: "single", count: 2)),
        ("%missing", .unknownVariable(name: "missing", position: 0)),
        ("'a'.matches('(')", .invalidRegex(pattern: "(")),
    ])
    func runtimeError(expression: String, expected: FHIRPathError) {
        #expect(throws: expected) { try Fixture.evaluate(expression) }
    }

    @Test("no expression can run past the step budget", arguments: [
        "%resource.repeat(descendants()).count()",
        "(1 | 2 | 3).repeat($this + 1).count()",
        "'x'.repeat($this & 'x').count()",
        "repeat(item).intersect(repeat(item)).count()",
        "repeat(item) ~ repeat(item).answer",
    ])
    func budgetExceeded(expression: String) throws {
        let items = JSON.array((0..<2_000).map { ["linkId": .string("q\($0)"), "answer": [["valueInteger": .number(JSONNumber($0))]]] })
        let response: JSON = ["resourceType": "QuestionnaireResponse", "item": items]
        let compiled = try FHIRPathExpression.compile(expression)
        #expect(throws: FHIRPathError.budgetExceeded(steps: 5_000)) {
            try compiled.evaluate(response, environment: Fixture.environment(resource: response, stepBudget: 5_000))
        }
    }

    @Test("a deep aggregate stops at the budget")
    func deepAggregate() throws {
        let patient = try Fixture.json("patient.json")
        let environment = Fixture.environment(resource: patient, variables: ["many": (1...20_000).map { .integer($0) }], stepBudget: 10_000)
        #expect(throws: FHIRPathError.budgetExceeded(steps: 10_000)) {
            try FHIRPathExpression.compile("%many.aggregate($total + $this, 0)").evaluate(patient, environment: environment)
        }
    }

    @Test("values print as typed JSON for the CLI")
    func typedJSON() throws {
        let result = try FHIRPathExpression.compile("1 | 2.5 | 'a' | @2026-01-02 | 4 'mg'").evaluate(nil, environment: FHIRPathEnvironment())
        #expect(JSON.array(result.map(\.typedJSON)).serialized() == """
            [{"type":"integer","value":1},{"type":"decimal","value":2.5},{"type":"string","value":"a"},\
            {"type":"date","value":"2026-01-02"},{"type":"Quantity","value":{"value":4,"unit":"mg"}}]
            """)
    }
}
