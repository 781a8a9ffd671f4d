@testable import FHIR
import Foundation
import JSON
import Questionnaire
import Testing

private let valid = """
{"resourceType": "QuestionnaireResponse", "questionnaire": "http://byneed.dk/fhir/Questionnaire/phq9|1.0.0", "status": "completed",
 "subject": {"identifier": {"system": "urn:oid:1.2.208.176.1.2", "value": "2512489996"}}, "authored": "2026-11-22T08:00:00+01:00"}
"""

private func problems(_ text: String) -> [ResourceProblem] {
    do {
        _ = try SubmittedResponse.parse(Array(text.utf8))
        return []
    } catch .invalidResource(let problems) {
        return problems
    } catch {
        return [ResourceProblem(code: .exception, message: "\(error)", expression: nil)]
    }
}

@Test func aWellFormedResponseIsRead() throws {
    let submitted = try SubmittedResponse.parse(Array(valid.utf8))
    #expect(submitted.questionnaireURL == "http://byneed.dk/fhir/Questionnaire/phq9")
    #expect(submitted.questionnaireVersion == "1.0.0")
    #expect(submitted.cpr == "2512489996")
    #expect(submitted.authored == "2026-11-22T08:00:00+01:00")
}

@Test(arguments: [
    ("{", OperationOutcome.IssueType.structure, nil as String?),
    ("[]", .structure, nil),
    (#"{"resourceType": "Observation"}"#, .invalid, "resourceType"),
    (#"{"resourceType": "QuestionnaireResponse", "status": "completed", "subject": {"identifier": {"system": "urn:oid:1.2.208.176.1.2", "value": "2512489996"}}}"#,
     .required, "QuestionnaireResponse.questionnaire"),
    (#"{"resourceType": "QuestionnaireResponse", "questionnaire": 7, "status": "completed", "subject": {"identifier": {"system": "urn:oid:1.2.208.176.1.2", "value": "2512489996"}}}"#,
     .structure, "QuestionnaireResponse.questionnaire"),
    (#"{"resourceType": "QuestionnaireResponse", "questionnaire": "phq9", "status": "completed", "subject": {"identifier": {"system": "urn:oid:1.2.208.176.1.2", "value": "2512489996"}}}"#,
     .value, "QuestionnaireResponse.questionnaire"),
    (#"{"resourceType": "QuestionnaireResponse", "questionnaire": "http://x/q|1", "status": "in-progress", "subject": {"identifier": {"system": "urn:oid:1.2.208.176.1.2", "value": "2512489996"}}}"#,
     .value, "QuestionnaireResponse.status"),
    (#"{"resourceType": "QuestionnaireResponse", "questionnaire": "http://x/q|1", "status": "completed"}"#,
     .required, "QuestionnaireResponse.subject"),
    (#"{"resourceType": "QuestionnaireResponse", "questionnaire": "http://x/q|1", "status": "completed", "subject": {"reference": "Patient/1"}}"#,
     .required, "QuestionnaireResponse.subject.identifier"),
    (#"{"resourceType": "QuestionnaireResponse", "questionnaire": "http://x/q|1", "status": "completed", "subject": {"identifier": {"system": "urn:oid:1.2.208.176.1.1", "value": "2512489996"}}}"#,
     .value, "QuestionnaireResponse.subject.identifier.system"),
    (#"{"resourceType": "QuestionnaireResponse", "questionnaire": "http://x/q|1", "status": "completed", "subject": {"identifier": {"system": "urn:oid:1.2.208.176.1.2", "value": "12"}}}"#,
     .value, "QuestionnaireResponse.subject.identifier.value"),
    (#"{"resourceType": "QuestionnaireResponse", "questionnaire": "http://x/q|1", "status": "completed", "authored": "yesterday", "subject": {"identifier": {"system": "urn:oid:1.2.208.176.1.2", "value": "2512489996"}}}"#,
     .value, "QuestionnaireResponse.authored"),
])
func aMalformedResponseIsRefusedWithItsProblemAndLocation(body: String, code: OperationOutcome.IssueType, expression: String?) {
    let found = problems(body)
    #expect(found.count == 1)
    #expect(found.first?.code == code)
    #expect(found.first?.expression == expression)
}

@Test func everyProblemIsReportedAtOnce() {
    let found = problems(#"{"resourceType": "QuestionnaireResponse", "status": "stopped"}"#)
    #expect(found.map(\.expression) == ["QuestionnaireResponse.questionnaire", "QuestionnaireResponse.status", "QuestionnaireResponse.subject"])
}

@Test func answersStoredByByNeedReadBackAndValidateWithoutTheirScores() async throws {
    let stored = try await storedCase("phq9", option: 2, decide: false)
    let submitted = try SubmittedResponse.parse(Array(stored.response.resourceJSON.utf8))
    let answers = try submitted.answers(definition: stored.definition)
    #expect(answers.values("item1") == [stored.definition.item(linkId: "item1")!.answerOptions[2].value])
    #expect(answers.values("total").isEmpty, "a posted score is dropped; the server computes its own")
}

@Test func answersThatDoNotFitTheQuestionnaireAreUnprocessableWithTheirPath() throws {
    let phq9 = try definition("phq9")
    var resource = try #require(try JSON.parse(valid).objectValue)
    resource["item"] = [["linkId": "phq9", "item": [["linkId": "nonsense", "answer": [["valueString": "x"]]]]]]
    let submitted = try SubmittedResponse.parse(.object(resource))
    do {
        _ = try submitted.answers(definition: phq9)
        Issue.record("unknown linkId accepted")
    } catch {
        #expect(error.httpStatus == 422)
        guard case .unprocessable(let problems) = error else { return #expect(Bool(false)) }
        #expect(problems.first?.expression == "QuestionnaireResponse.item[0].item[0].linkId")
    }
}

@Test func missingRequiredAnswersAreUnprocessable() throws {
    let phq9 = try definition("phq9")
    let submitted = try SubmittedResponse.parse(Array(valid.utf8))
    do {
        _ = try submitted.answers(definition: phq9)
        Issue.record("an empty response was accepted")
    } catch {
        guard case .unprocessable(let problems) = error else { return #expect(Bool(false)) }
        #expect(problems.contains { $0.expression == "QuestionnaireResponse.repeat(item).where(linkId = 'item1')" })
        #expect(problems.allSatisfy { $0.code == .businessRule })
    }
}

@Test func anUnknownQuestionnaireIsUnprocessable() throws {
    let submitted = try SubmittedResponse.parse(Array(valid.utf8))
    #expect(submitted.unknownQuestionnaire.httpStatus == 422)
    #expect(submitted.unknownQuestionnaire.operationOutcome.json["issue"]?[0]?["code"] == "not-found")
}
