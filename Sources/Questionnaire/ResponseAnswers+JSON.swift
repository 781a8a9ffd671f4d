import JSON

// MARK: - Draft storage as JSON

extension ResponseAnswers {
    /// Why stored answers JSON could not be read back.
    public struct DecodingError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The JSON path of the bad element (`"q1"[0]`).
        public var path: String
        public var problem: QuestionnaireProblem.Kind

        public var description: String {
            "\(path): \(QuestionnaireProblem(source: "answers", path: path, kind: problem).message)"
        }
    }

    /// `{"linkId": [{"valueCoding": {...}}, ...], ...}` with linkIds sorted, each answer in
    /// FHIR `value[x]` form, so drafts are stable to compare and readable in the database.
    public var json: JSON {
        var object = JSONObject()
        for linkId in linkIds {
            object[linkId] = .array(values(linkId).map { value in
                let (element, content) = value.fhirElement(prefix: "value")
                return .object(JSONObject([(element, content)]))
            })
        }
        return .object(object)
    }

    /// Reads answers written by `json`.
    public init(json: JSON) throws(DecodingError) {
        guard let object = json.objectValue else {
            throw DecodingError(path: "", problem: .wrongJSONType(expected: "an object"))
        }
        var answers: [String: [AnswerValue]] = [:]
        for (linkId, list) in object {
            guard let elements = list.arrayValue else {
                throw DecodingError(path: "\"\(linkId)\"", problem: .wrongJSONType(expected: "an array"))
            }
            for (index, element) in elements.enumerated() {
                let path = "\"\(linkId)\"[\(index)]"
                guard let answerObject = element.objectValue else {
                    throw DecodingError(path: path, problem: .wrongJSONType(expected: "an object"))
                }
                switch AnswerValue.read(prefix: "value", from: answerObject) {
                case .value(let value, _): answers[linkId, default: []].append(value)
                case .absent: throw DecodingError(path: path, problem: .missing)
                case .invalid(let element, let kind): throw DecodingError(path: "\(path).\(element)", problem: kind)
                }
            }
        }
        self.init(answers)
    }
}
