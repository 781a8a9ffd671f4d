import JSON

extension QuestionnaireDefinition {
    /// Reads the answers of a FHIR R4 QuestionnaireResponse written for this definition — by
    /// ByNeed, by a sector system, or by another tool — so they can be validated, scored and
    /// triaged exactly like answers from the web form.
    ///
    /// Every problem is collected with its JSON path: a response that is not a
    /// QuestionnaireResponse, an item whose linkId this definition does not have, an item
    /// nested under the wrong parent, answers on a group or display item, and answer values
    /// that are malformed. Whether the answers are acceptable (types, options, required) is
    /// `validateAll`'s business, as for web answers.
    public func answers(fromResponse json: JSON) throws(ResponseReadError) -> ResponseAnswers {
        var reader = ResponseReader(definition: self)
        let answers = reader.read(json)
        guard reader.problems.isEmpty else { throw ResponseReadError(problems: reader.problems) }
        return answers
    }
}

/// Why a QuestionnaireResponse could not be read; every problem with its path.
public struct ResponseReadError: Error, Sendable, CustomStringConvertible {
    public var problems: [QuestionnaireProblem]

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}

/// Walks one QuestionnaireResponse, collecting answers and problems.
private struct ResponseReader {
    let definition: QuestionnaireDefinition
    var problems: [QuestionnaireProblem] = []
    var answers: [String: [AnswerValue]] = [:]

    init(definition: QuestionnaireDefinition) {
        self.definition = definition
    }

    mutating func read(_ json: JSON) -> ResponseAnswers {
        guard let root = json.objectValue, root["resourceType"]?.stringValue == "QuestionnaireResponse" else {
            report("resourceType", .notAQuestionnaire(resourceType: json["resourceType"]?.stringValue))
            return ResponseAnswers()
        }
        readItems(root["item"], parent: nil, path: "")
        return ResponseAnswers(answers)
    }

    private mutating func readItems(_ value: JSON?, parent: String?, path: String) {
        guard let value else { return }
        guard let elements = value.arrayValue else {
            report(Self.join(path, "item"), .wrongJSONType(expected: "an array"))
            return
        }
        // Paths are formatted only for a problem or for nested items, not for every item and
        // answer read: formatting them was a large part of reading a valid response.
        for (index, element) in elements.enumerated() {
            func itemPath() -> String { Self.join(path, "item[\(index)]") }
            guard let object = element.objectValue, let linkId = object["linkId"]?.stringValue else {
                report(Self.join(itemPath(), "linkId"), .missing)
                continue
            }
            guard let type = definition.itemsByLinkId[linkId]?.type else {
                report(Self.join(itemPath(), "linkId"), .unknownLinkId(linkId))
                continue
            }
            if definition.parent(of: linkId) != parent {
                report(Self.join(itemPath(), "linkId"), .invalidValue(linkId, expected: "an item at this place in the questionnaire's structure"))
                continue
            }
            readAnswers(object["answer"], linkId: linkId, type: type, path: itemPath)
            if let children = object["item"] { readItems(children, parent: linkId, path: itemPath()) }
        }
    }

    private mutating func readAnswers(_ value: JSON?, linkId: String, type: ItemType, path: () -> String) {
        guard let value else { return }
        guard type.isQuestion else {
            report(Self.join(path(), "answer"), .notAllowedOnDisplay(element: "answers"))
            return
        }
        guard let elements = value.arrayValue else {
            report(Self.join(path(), "answer"), .wrongJSONType(expected: "an array"))
            return
        }
        for (index, element) in elements.enumerated() {
            func answerPath() -> String { Self.join(path(), "answer[\(index)]") }
            guard let object = element.objectValue else {
                report(answerPath(), .wrongJSONType(expected: "an object"))
                continue
            }
            switch AnswerValue.read(prefix: "value", from: object) {
            case .value(let answer, _): answers[linkId, default: []].append(answer)
            case .absent: report(Self.join(answerPath(), "value[x]"), .missing)
            case .invalid(let element, let kind): report(Self.join(answerPath(), element), kind)
            }
        }
    }

    private mutating func report(_ path: String, _ kind: QuestionnaireProblem.Kind) {
        problems.append(QuestionnaireProblem(source: "QuestionnaireResponse", path: path, kind: kind))
    }

    private static func join(_ path: String, _ element: String) -> String {
        path.isEmpty ? element : "\(path).\(element)"
    }
}
