import JSON
import Questionnaire
import SQLite

/// Reads and writes `response_triage`: the automatic triage of each stored response, computed
/// in the same transaction as the response itself, so no response is ever stored untriaged.
public enum TriageRecords {
    /// Stores the triage of a response.
    public static func insert(_ db: Connection, responseID: ResponseID, result: TriageResult) throws {
        try db.run("INSERT INTO response_triage (response_id, colour, findings_json) VALUES (?, ?, ?)",
                   [.integer(responseID.rawValue), .text(result.colour.rawValue), .text(findingsJSON(result).serialized())])
    }

    /// The stored triage of a response, if any.
    public static func find(_ db: Connection, responseID: ResponseID) throws -> TriageResult? {
        guard let row = try db.queryOne("SELECT findings_json FROM response_triage WHERE response_id = ?",
                                        [.integer(responseID.rawValue)]) else { return nil }
        let corrupt = StorageError.corruptValue(table: "response_triage", column: "findings_json")
        guard let elements = try? JSON.parse(try row.string("findings_json")).arrayValue else { throw corrupt }
        var findings: [TriageFinding] = []
        for element in elements {
            guard let finding = finding(element) else { throw corrupt }
            findings.append(finding)
        }
        return TriageResult(findings: findings)
    }

    /// `[{"source": "...", "colour": "red", "reason": {"text": "...", "translations": {"en": "..."}}}]`
    static func findingsJSON(_ result: TriageResult) -> JSON {
        .array(result.findings.map { finding in
            let translations = finding.reason.translations.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) }
            return .object(JSONObject([
                ("source", .string(finding.source.description)),
                ("colour", .string(finding.colour.rawValue)),
                ("reason", .object(JSONObject([("text", .string(finding.reason.base)),
                                               ("translations", .object(JSONObject(translations)))]))),
            ]))
        })
    }

    private static func finding(_ json: JSON) -> TriageFinding? {
        guard let source = json["source"]?.stringValue.flatMap(TriageSource.init), let colour = json["colour"]?.stringValue.flatMap(TriageColour.init),
              let text = json["reason"]?["text"]?.stringValue else { return nil }
        var translations: [String: String] = [:]
        for (language, value) in json["reason"]?["translations"]?.objectValue ?? JSONObject() {
            translations[language] = value.stringValue
        }
        return TriageFinding(source: source, colour: colour, reason: LocalizedText(text, translations: translations))
    }
}
