import FHIRPath
import Foundation
import Testing

/// Inputs the libFuzzer target `fhirpath` (Fuzz/Targets/FHIRPathFuzz.swift) found, kept so the
/// fixes stay in place. See docs/fuzzing.md.
@Suite struct FHIRPathFuzzRegressionTests {
    /// 746,690 characters: `'a'×10`, with every gap filled by itself twice over, then by 50 `a`s.
    private static let long = "'aaaaaaaaaa'.replace('', 'aaaaaaaaaa').replace('', 'aaaaaaaaaa'.replace('', 'aaaaaaaaaa'))"
        + ".replace('', '\(String(repeating: "a", count: 50))')"
    private static let medium = "'aaaaaaaaaa'.replace('', 'aaaaaaaaaa').replace('', 'aaaaaaaaaa'.replace('', 'aaaaaaaaaa'))"

    /// Found by fuzzing: each of these once built its whole result (5.6e11 and 6.7e9 bytes) before
    /// the length limit was checked, so a short expression exhausted the server's memory.
    @Test(arguments: [
        "\(long).replace('', \(long)).length()",
        "\(medium).substring(0, 9000).replaceMatches('.', \(long)).length()",
    ])
    func replacingWithALongSubstitutionFailsBeforeBuildingTheResult(_ expression: String) throws {
        let compiled = try FHIRPathExpression.compile(expression)
        #expect(throws: FHIRPathError.self) { try compiled.evaluate(nil, environment: FHIRPathEnvironment()) }
    }

    /// Found by fuzzing: a projection building a 746,690-character string for each of 3,000
    /// items stayed within the budget of node visits while it built 2 GB and ran for minutes.
    @Test func buildingALongStringPerItemExhaustsTheStepBudget() throws {
        let expression = "\(Self.medium).substring(0, 3000).toChars().select(\(Self.long)).count()"
        let compiled = try FHIRPathExpression.compile(expression)
        #expect(throws: FHIRPathError.budgetExceeded(steps: FHIRPathEnvironment.defaultStepBudget)) {
            try compiled.evaluate(nil, environment: FHIRPathEnvironment())
        }
    }

    /// Computed strings cost one step per 100 bytes: `upper()` of 1,000 characters takes 4 steps
    /// of nodes and items plus 10 for its text.
    @Test(arguments: [(13, false), (14, true)])
    func computedStringsCountAgainstTheBudget(_ budget: Int, _ fits: Bool) throws {
        let environment = FHIRPathEnvironment(variables: ["text": [.string(String(repeating: "a", count: 1000))]], stepBudget: budget)
        let result = Result { () throws(FHIRPathError) in
            try FHIRPathExpression.compile("%text.upper()").evaluate(nil, environment: environment)
        }
        #expect((try? result.get()) == (fits ? [.string(String(repeating: "A", count: 1000))] : nil))
    }

    /// The size is refused up front (this message), not after the string exists (the generic
    /// "a string longer than" message of the final check).
    @Test(arguments: [
        ("'abcdefghij'.replace('', 'abcdefghij')", "replace"),
        ("'abcdefghij'.replace('c', 'abcdefghijabcdefghij')", "replace"),
        ("'abcdefghij'.replaceMatches('.', '$0$0$0')", "replaceMatches"),
    ])
    func replaceRefusesAnOversizedResultBeforeBuildingIt(_ expression: String, _ function: String) throws {
        let environment = FHIRPathEnvironment(maxStringLength: 25)
        let compiled = try FHIRPathExpression.compile(expression)
        #expect(throws: FHIRPathError.tooLarge("\(function) would build a string longer than 25 characters")) {
            try compiled.evaluate(nil, environment: environment)
        }
    }

    /// The up-front check counts exactly: results of exactly the limit are still built.
    @Test(arguments: [
        ("'abc'.replace('', '-')", "-a-b-c-"),
        ("'aXbXc'.replace('X', 'yy')", "ayybyyc"),
        ("'aaa'.replace('aa', 'b')", "ba"),
        ("'a1b22'.replaceMatches('(\\\\d+)', '<$1>')", "a<1>b<22>"),
    ])
    func replaceAtTheLimitStillWorks(_ expression: String, _ expected: String) throws {
        let environment = FHIRPathEnvironment(maxStringLength: expected.utf8.count)
        let result = try FHIRPathExpression.compile(expression).evaluate(nil, environment: environment)
        #expect(result == [.string(expected)])
    }
}
