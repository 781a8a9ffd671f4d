import Foundation
import JSON
import Questionnaire

/// `byneed import`: brings a Questionnaire written elsewhere (LHC-Forms, Smart Forms, another
/// region) into the questionnaire folder, assigning what the catalogue requires and the file
/// lacks, and checking it exactly as the server will before writing anything.
enum ImportCommand: Command {
    static let valueOptions: Set<String> = ["questionnaires", "url", "version", "status", "name"]
    static let flagOptions: Set<String> = []
    static let positionalCount = 1...1
    static let help = """
        usage: byneed import FILE [--url URL] [--version V] [--status S] [--name NAME]
                                  [--questionnaires DIR]

        Reads a FHIR R4 Questionnaire, sets the canonical url and version (required when the file
        has none; given ones replace the file's) and the status (default: the file's, else
        'active'), checks it as the catalogue would together with the definitions already in
        the folder, and writes it as DIR/NAME.json (default NAME: the last part of the url and
        the version). Nothing is written if anything is wrong, and no file is overwritten.
        """

    static func run(_ options: Options) async throws -> Int32 {
        let file = options.positional[0]
        guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure("cannot read \(file)") }
        guard case .object(var resource) = try JSON.parse(Array(data)) else {
            throw CommandFailure("\(file) is not a JSON object")
        }
        for (key, option) in [("url", "url"), ("version", "version")] {
            if let value = options.optionalString(option) { resource[key] = .string(value) }
            guard resource[key]?.stringValue?.isEmpty == false else {
                throw CommandFailure("\(file) has no \(key); give one with --\(option)")
            }
        }
        if let status = options.optionalString("status") { resource["status"] = .string(status) }
        if resource["status"] == nil { resource["status"] = "active" }

        let folder = CommonOptions.questionnaires(options)
        let url = resource["url"]?.stringValue ?? ""
        let version = resource["version"]?.stringValue ?? ""
        let name = options.optionalString("name") ?? Self.fileName(url: url, version: version)
        let target = (folder as NSString).appendingPathComponent(name.hasSuffix(".json") ? name : name + ".json")
        guard !FileManager.default.fileExists(atPath: target) else {
            throw CommandFailure("\(target) exists already; choose another --name")
        }
        let bytes = JSON.object(resource).serializedBytes(pretty: true) + [0x0A]
        let existing = try QuestionnaireCatalogue.load(directory: folder)
        let imported = try QuestionnaireDefinition.parse(bytes: bytes, source: (target as NSString).lastPathComponent)
        _ = try QuestionnaireCatalogue(definitions: existing.all + [imported])
        try Data(bytes).write(to: URL(fileURLWithPath: target), options: .withoutOverwriting)
        say("imported \(url)|\(version) as \(target)")
        return 0
    }

    /// `phq9-1.0.0.json` from `http://…/Questionnaire/phq9` and `1.0.0`.
    static func fileName(url: String, version: String) -> String {
        let last = url.split(separator: "/").last.map(String.init) ?? "questionnaire"
        let safe = (last + "-" + version).map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "-" }
        return String(safe) + ".json"
    }
}
