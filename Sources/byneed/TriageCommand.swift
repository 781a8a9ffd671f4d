import Foundation
import JSON
import Questionnaire
import Storage

/// `byneed triage replay`: re-triages every stored response to a questionnaire with a
/// candidate definition (a new version with changed rules) and prints which responses would
/// change colour, so a department can try new rules on its own history before they go live.
/// Read-only: the database is opened read-only and nothing is written.
enum TriageCommand: Command {
    static let valueOptions: Set<String> = ["data-dir", "candidate"]
    static let flagOptions: Set<String> = []
    static let positionalCount = 1...1
    static let help = """
        usage: byneed triage replay --candidate FILE [--data-dir DIR]

        Reads the candidate Questionnaire (checked as the catalogue would), scores and triages every
        stored response to any version of the same url with the candidate's rules (and each
        patient's own thresholds), and prints how many
        responses would change colour and, for each, its id, when it was answered, and the old
        and new colour with the candidate's reasons. Changes nothing.
        """

    static func run(_ options: Options) async throws -> Int32 {
        guard options.positional[0] == "replay" else {
            throw Options.UsageError(description: "unknown triage command '\(options.positional[0])'; the command is 'replay'")
        }
        guard let file = options.optionalString("candidate") else { throw Options.UsageError(description: "--candidate is required") }
        guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure("cannot read \(file)") }
        let candidate = try QuestionnaireDefinition.parse(bytes: Array(data), source: (file as NSString).lastPathComponent)
        let connection = try Database.openReadOnly(directory: CommonOptions.dataDirectory(options))
        let stored = try Responses.all(connection, questionnaireURL: candidate.url)

        var changed: [String] = []
        var unreadable: [String] = []
        for (response, triage) in stored {
            guard let answers = try? candidate.answers(fromResponse: JSON.parse(response.resourceJSON)) else {
                unreadable.append(response.resourceID)
                continue
            }
            let before = triage?.colour.rawValue ?? "none"
            let thresholds = try ThresholdOverrides.current(connection, patientID: response.patientID, questionnaireURL: candidate.url)
            let after = candidate.evaluate(answers, thresholds: thresholds, now: response.authored).triage
            guard before != after.colour.rawValue else { continue }
            let reasons = after.findings.map { $0.reason.resolved(language: "da") }.joined(separator: "; ")
            changed.append("\(response.resourceID)  \(Timestamp.string(response.authored))  \(before) → \(after.colour.rawValue)"
                           + (reasons.isEmpty ? "" : "  (\(reasons))"))
        }
        say("\(stored.count) responses to \(candidate.url); \(changed.count) would change colour with \(candidate.reference)")
        changed.forEach(say)
        if !unreadable.isEmpty {
            say("\(unreadable.count) responses do not fit the candidate's items and were not replayed: \(unreadable.joined(separator: ", "))")
        }
        return 0
    }
}
