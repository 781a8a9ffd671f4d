import Foundation
import Questionnaire
import Storage

/// `byneed threshold`: sets, clears and lists a patient's own thresholds for a questionnaire's
/// triage rules. Every change is kept with who made it, when and why.
enum ThresholdCommand: Command {
    static let valueOptions: Set<String> = CommonOptions.paths.union(["cpr", "questionnaire", "rule", "value", "by", "reason"])
    static let flagOptions: Set<String> = []
    static let positionalCount = 1...1
    static let help = """
        usage: byneed threshold set   --cpr CPR --questionnaire URL --rule ID --value N --by NAME [--reason TEXT]
               byneed threshold clear --cpr CPR --questionnaire URL --rule ID --by NAME [--reason TEXT]
               byneed threshold list  --cpr CPR --questionnaire URL
                                      [--data-dir DIR] [--questionnaires DIR]

        A patient's threshold replaces the default `threshold` of a triage rule (see
        docs/scoring-and-triage.md) in every later triage of that patient's responses; 'clear'
        returns to the default. The rule must exist in the newest version of the questionnaire.
        """

    static func run(_ options: Options) async throws -> Int32 {
        let action = options.positional[0]
        guard ["set", "clear", "list"].contains(action) else {
            throw Options.UsageError(description: "unknown threshold command '\(action)'; use set, clear or list")
        }
        guard let cpr = options.optionalString("cpr"), let url = options.optionalString("questionnaire") else {
            throw Options.UsageError(description: "--cpr and --questionnaire are required")
        }
        let database = try Database(directory: CommonOptions.dataDirectory(options), createIfMissing: false)
        defer { database.close() }
        guard let patient = try database.read({ db in try Patients.find(db, cpr: cpr) }) else {
            throw CommandFailure("no patient with that CPR number in \(CommonOptions.dataDirectory(options))")
        }
        if action == "list" {
            let changes = try database.read { db in try ThresholdOverrides.history(db, patientID: patient.id, questionnaireURL: url) }
            for change in changes {
                say("\(Timestamp.string(change.setAt))  \(change.ruleID)  \(change.threshold.map { "\($0)" } ?? "default")  by \(change.setBy)"
                    + (change.reason.map { "  (\($0))" } ?? ""))
            }
            return 0
        }
        guard let ruleID = options.optionalString("rule"), let setBy = options.optionalString("by") else {
            throw Options.UsageError(description: "--rule and --by are required")
        }
        let threshold: Decimal?
        if action == "set" {
            guard let text = options.optionalString("value"), let value = Decimal(string: text), text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) else {
                throw Options.UsageError(description: "--value must be a number such as 12 or 7.5")
            }
            threshold = value
        } else {
            threshold = nil
        }
        let catalogue = try QuestionnaireCatalogue.load(directory: CommonOptions.questionnaires(options))
        guard let definition = catalogue.latest(url: url) else { throw CommandFailure("no questionnaire \(url)") }
        guard definition.scoring.triageRules.contains(where: { $0.id == ruleID }) else {
            let known = definition.scoring.triageRules.map(\.id).joined(separator: ", ")
            throw CommandFailure("\(definition.reference) has no triage rule \"\(ruleID)\"" + (known.isEmpty ? "" : "; its rules are \(known)"))
        }
        let reason = options.optionalString("reason")
        let now = Date()
        try await database.write { db in
            try ThresholdOverrides.set(db, patientID: patient.id, questionnaireURL: url, ruleID: ruleID, threshold: threshold,
                                       setBy: setBy, reason: reason, now: now)
        }
        say(threshold.map { "threshold of \(ruleID) for this patient is now \($0)" } ?? "threshold of \(ruleID) for this patient is back to the default")
        return 0
    }
}
