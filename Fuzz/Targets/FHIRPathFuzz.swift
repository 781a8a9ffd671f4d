// libFuzzer target: FHIRPath compile and evaluate (FHIRPath.FHIRPathExpression).
//
// Input: the expression, a NUL byte, then a JSON resource (the focus, and `%resource`; when the
// JSON does not parse the expression runs over nothing). `%questionnaire` is the shipped PHQ-9,
// as when ByNeed scores a response. The environment is the default one with a fixed clock, so
// the default step budget bounds the work; libFuzzer's `-timeout` catches what it does not.
//
// Invariant, besides "never crashes or hangs": evaluation is deterministic (the same
// expression over the same input gives the same result or the same error twice).
import Foundation
import FHIRPath
import JSON

private let questionnaire: FHIRPathNode = {
    let path = fuzzRepositoryRoot + "/Questionnaires/phq9.json"
    guard let data = FileManager.default.contents(atPath: path), let json = try? JSON.parse(Array(data)) else {
        fatalError("cannot read \(path)")
    }
    return FHIRPathNode(json: json, typeName: "Questionnaire")
}()

private func environment(for resource: JSON?) -> FHIRPathEnvironment {
    var environment = FHIRPathEnvironment(now: Date(timeIntervalSince1970: 1_767_268_800),
                                          timeZone: TimeZone(identifier: "Europe/Copenhagen") ?? .gmt)
    if let resource {
        environment.setResource(FHIRPathNode(json: resource, typeName: resource["resourceType"]?.stringValue),
                                questionnaire: questionnaire)
    }
    return environment
}

private func run(_ expression: FHIRPathExpression, _ resource: JSON?) -> Result<[FHIRPathValue], FHIRPathError> {
    Result { () throws(FHIRPathError) in try expression.evaluate(resource, environment: environment(for: resource)) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFHIRPath(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let (source, resourceBytes) = FuzzInput(start, count).splitAtNUL()
    guard let expression = try? FHIRPathExpression.compile(String(decoding: source, as: UTF8.self)) else { return 0 }
    let resource = try? JSON.parse(resourceBytes)
    let first = run(expression, resource)
    let second = run(expression, resource)
    fuzzCheck(first == second, "evaluating \(expression.source) twice gave \(first) and \(second)")
    return 0
}
