import FHIRPath
import Foundation
import JSON

/// Fixtures shared by the FHIRPath tests.
enum Fixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Comparison")

    static func json(_ name: String) throws -> JSON {
        try JSON.parse([UInt8](Data(contentsOf: folder.appendingPathComponent(name))))
    }

    /// 2026-01-02T09:00:00Z, a fixed clock for `today()`/`now()`.
    static let now = Date(timeIntervalSince1970: 1_767_344_400)

    static func environment(resource: JSON? = nil, questionnaire: JSON? = nil,
                            variables: [String: [FHIRPathValue]] = [:], stepBudget: Int = FHIRPathEnvironment.defaultStepBudget) -> FHIRPathEnvironment {
        var environment = FHIRPathEnvironment(variables: variables, now: now, timeZone: TimeZone(identifier: "Europe/Copenhagen")!,
                                              stepBudget: stepBudget)
        if let resource {
            environment.setResource(FHIRPathNode(json: resource), questionnaire: questionnaire.map { FHIRPathNode(json: $0) })
        }
        return environment
    }

    /// The result of `expression` as compact JSON of the values (`[3]`, `[true]`, `[]`).
    static func evaluate(_ expression: String, on resource: JSON? = nil) throws -> String {
        let result = try FHIRPathExpression.compile(expression).evaluate(resource, environment: environment(resource: resource))
        return JSON.array(result.map(\.json)).serialized()
    }
}
