@testable import FHIR
import JSON
import Testing

@Test(arguments: [
    (FHIRError.unknownParameters(["x"]), 400, "not-supported"),
    (.invalidParameter(name: "status", value: "x", reason: "r"), 400, "value"),
    (.repeatedParameter("status"), 400, "invalid"),
    (.invalidCursor("_page_token"), 400, "invalid"),
    (.invalidResource([ResourceProblem(code: .structure, message: "m", expression: nil)]), 400, "structure"),
    (.invalidResource([ResourceProblem(code: .required, message: "m", expression: "QuestionnaireResponse.status")]), 400, "required"),
    (.authenticationRequired, 401, "login"),
    (.forbidden(reason: "no treatment relation"), 403, "forbidden"),
    (.notFound(resourceType: "Patient", id: "patient-9"), 404, "not-found"),
    (.unknownResourceType("Encounter"), 404, "not-supported"),
    (.unsupportedInteraction(resourceType: "Observation", interaction: "create"), 405, "not-supported"),
    (.unsupportedFormat("xml"), 406, "not-supported"),
    (.gone(resourceType: "Patient", id: "patient-9"), 410, "deleted"),
    (.multipleMatches("If-None-Exist matches 2 responses"), 412, "multiple-matches"),
    (.unprocessable([ResourceProblem(code: .businessRule, message: "m", expression: nil)]), 422, "business-rule"),
    (.rateLimited(retryAfterSeconds: 30), 429, "throttled"),
    (.internalError("disk full"), 500, "exception"),
    (.storageUnavailable(retryAfterSeconds: 1), 503, "transient"),
])
func everyErrorHasItsStatusAndIssueCode(error: FHIRError, status: Int, code: String) {
    #expect(error.httpStatus == status)
    let json = error.operationOutcome.json
    #expect(json["resourceType"] == "OperationOutcome")
    #expect(json["issue"]?[0]?["code"]?.stringValue == code)
    #expect(json["issue"]?[0]?["severity"]?.stringValue == (status == 500 ? "fatal" : "error"))
}

@Test func anUnknownParametersErrorNamesEveryOneOfThemAsAnIssue() {
    let issues = FHIRError.unknownParameters(["colour", "_sort"]).operationOutcome.json["issue"]?.arrayValue ?? []
    #expect(issues.map { $0["expression"]?[0]?.stringValue } == ["colour", "_sort"])
    #expect(issues.allSatisfy { $0["diagnostics"]?.stringValue?.contains("handling=lenient") == true })
}

@Test func anInternalErrorDoesNotLeakItsDetailToTheClient() {
    let text = FHIRError.internalError("SQLITE_CORRUPT at page 7").operationOutcome.json.serialized()
    #expect(!text.contains("SQLITE"))
}

@Test func retryAfterIsGivenOnlyForThrottlingAndOverload() {
    #expect(FHIRError.rateLimited(retryAfterSeconds: 30).retryAfterSeconds == 30)
    #expect(FHIRError.storageUnavailable(retryAfterSeconds: 2).retryAfterSeconds == 2)
    #expect(FHIRError.authenticationRequired.retryAfterSeconds == nil)
}

@Test func anEmptyOutcomeStillHasTheOneIssueR4Requires() {
    #expect(OperationOutcome(issues: []).json["issue"]?.arrayValue?.count == 1)
}
