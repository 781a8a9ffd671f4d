import FollowUp
import Foundation
import JSON
import Questionnaire

/// A QuestionnaireResponse posted for `create`, checked: what ByNeed needs to store it.
///
/// Two stages, as FHIR R4 http.html §3.1.0.8 separates them: `parse` checks the resource
/// itself (JSON, `resourceType`, required elements and their types; problems → 400), and
/// `answers(definition:)` checks it against the questionnaire version it names (items,
/// answer values, required answers; problems → 422), through the same
/// `QuestionnaireDefinition.answers(fromResponse:)` and `validateAll` the web form uses.
public struct SubmittedResponse: Sendable, Hashable {
    /// The resource as posted.
    public let resource: JSON
    /// `questionnaire`: the canonical URL.
    public let questionnaireURL: String
    /// `questionnaire`: the version after `|`, nil when the canonical has none.
    public let questionnaireVersion: String?
    /// The patient's CPR number from `subject.identifier`.
    public let cpr: String
    /// `status`.
    public let status: String
    /// `authored`, as written; nil when absent (the server then uses the time of receipt).
    public let authored: String?
    /// The instant `authored` names (the start of a partial date).
    public let answeredAt: Date?
    /// `identifier`: the sender's own id for the response, an Identifier with a `value`.
    public let identifier: JSON?

    /// The statuses ByNeed accepts on create: answers given in full.
    public static let acceptedStatuses = ["completed"]

    /// Parses and checks the request body; every problem is collected before failing.
    public static func parse(_ body: [UInt8]) throws(FHIRError) -> SubmittedResponse {
        let json: JSON
        do {
            json = try JSON.parse(body)
        } catch {
            throw .invalidResource([ResourceProblem(code: .structure, message: "The body is not valid JSON: \(error.message) (line \(error.line), column \(error.column))", expression: nil)])
        }
        return try parse(json)
    }

    /// Checks an already parsed resource (see `parse(_:)` for bytes).
    public static func parse(_ json: JSON) throws(FHIRError) -> SubmittedResponse {
        let root = "QuestionnaireResponse"
        guard json.objectValue != nil else {
            throw .invalidResource([ResourceProblem(code: .structure, message: "The body must be a JSON object", expression: nil)])
        }
        guard json["resourceType"]?.stringValue == root else {
            let found = json["resourceType"]?.stringValue.map { "\"\($0)\"" } ?? "nothing"
            throw .invalidResource([ResourceProblem(code: .invalid, message: "resourceType must be \"QuestionnaireResponse\", found \(found)", expression: "resourceType")])
        }
        var problems: [ResourceProblem] = []
        func string(_ element: String) -> String? {
            guard let value = json[element] else {
                problems.append(ResourceProblem(code: .required, message: "\(element) is required", expression: "\(root).\(element)"))
                return nil
            }
            guard let text = value.stringValue, !text.isEmpty else {
                problems.append(ResourceProblem(code: .structure, message: "\(element) must be a non-empty string", expression: "\(root).\(element)"))
                return nil
            }
            return text
        }
        let canonical = string("questionnaire")
        let parts = canonical.map { $0.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).map(String.init) }
        if let parts, !SearchRequest.isAbsoluteURI(parts[0]) {
            problems.append(ResourceProblem(code: .value, message: "questionnaire must be a canonical URL (url|version)", expression: "\(root).questionnaire"))
        }
        let status = string("status")
        if let status, !acceptedStatuses.contains(status) {
            problems.append(ResourceProblem(code: .value, message: "status must be \"completed\" (found \"\(status)\")", expression: "\(root).status"))
        }
        var authored: String?
        var answeredAt: Date?
        if let value = json["authored"] {
            if let text = value.stringValue, let instant = try? DateCriterion.parse(text).start, text.first?.isNumber == true {
                authored = text
                answeredAt = instant
            } else {
                problems.append(ResourceProblem(code: .value, message: "authored must be a FHIR dateTime with an offset", expression: "\(root).authored"))
            }
        }
        let identifier = json["identifier"]
        if let identifier, identifier["value"]?.stringValue?.isEmpty != false
            || (identifier["system"].map { $0.stringValue.map(SearchRequest.isAbsoluteURI) != true } ?? false) {
            problems.append(ResourceProblem(code: .value, message: "identifier needs a value (and a system that is an absolute URI, if given)",
                                            expression: "\(root).identifier"))
        }
        let cpr = subjectCPR(json["subject"], problems: &problems)
        guard problems.isEmpty, let parts, let status, let cpr else { throw .invalidResource(problems) }
        return SubmittedResponse(resource: json, questionnaireURL: parts[0],
                                 questionnaireVersion: parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil,
                                 cpr: cpr, status: status, authored: authored, answeredAt: answeredAt, identifier: identifier)
    }

    /// `subject.identifier` with the CPR system and a valid CPR number.
    private static func subjectCPR(_ subject: JSON?, problems: inout [ResourceProblem]) -> String? {
        let path = "QuestionnaireResponse.subject.identifier"
        guard let subject else {
            problems.append(ResourceProblem(code: .required, message: "subject is required: the patient's CPR identifier", expression: "QuestionnaireResponse.subject"))
            return nil
        }
        guard let identifier = subject["identifier"], identifier.objectValue != nil else {
            problems.append(ResourceProblem(code: .required, message: "subject.identifier is required (system \(FHIRSystems.cpr))", expression: path))
            return nil
        }
        guard identifier["system"]?.stringValue == FHIRSystems.cpr else {
            problems.append(ResourceProblem(code: .value, message: "subject.identifier.system must be \(FHIRSystems.cpr)", expression: path + ".system"))
            return nil
        }
        guard let value = identifier["value"]?.stringValue, let number = try? CPRNumber(value) else {
            problems.append(ResourceProblem(code: .value, message: "subject.identifier.value must be a CPR number", expression: path + ".value"))
            return nil
        }
        return number.digits
    }

    /// The answers, read and validated against `definition` (the version `questionnaire`
    /// names; the caller looks it up and reports an unknown one with `unknownQuestionnaire`).
    /// Problems → `unprocessable` (422) with the paths of the offending items. Answers to
    /// calculated items (scores an SDC client computed, or ByNeed's own stored response
    /// posted back) are dropped: the server scores every response itself and never trusts a
    /// client's score.
    public func answers(definition: QuestionnaireDefinition) throws(FHIRError) -> ResponseAnswers {
        var answers: ResponseAnswers
        do {
            answers = try definition.answers(fromResponse: resource)
        } catch {
            throw .unprocessable(error.problems.map { problem in
                ResourceProblem(code: problem.path.hasSuffix("linkId") ? .businessRule : .value, message: problem.message,
                                expression: problem.path.isEmpty ? "QuestionnaireResponse" : "QuestionnaireResponse.\(problem.path)")
            })
        }
        for item in FHIRResources.scoreItems(definition) { answers.remove(item.linkId) }
        let issues = definition.validateAll(answers)
        guard issues.isEmpty else {
            throw .unprocessable(issues.map { issue in
                ResourceProblem(code: .businessRule, message: "\(issue.linkId): \(issue.message(language: "en"))",
                                expression: "QuestionnaireResponse.repeat(item).where(linkId = '\(issue.linkId)')")
            })
        }
        return answers
    }

    /// The problem for a `questionnaire` the catalogue does not hold (422: the resource is
    /// well-formed, but names nothing ByNeed can score).
    public var unknownQuestionnaire: FHIRError {
        let reference = questionnaireVersion.map { "\(questionnaireURL)|\($0)" } ?? questionnaireURL
        return .unprocessable([ResourceProblem(code: .notFound, message: "Questionnaire \(reference) is not known here (give url|version of a served questionnaire)",
                                               expression: "QuestionnaireResponse.questionnaire")])
    }
}
