import Foundation
import JSON
import Questionnaire

/// `byneed score`: validates, scores and triages one QuestionnaireResponse and prints the
/// result as JSON — for sector tools, for checking a definition against its manual, and for
/// the acceptance tests.
enum ScoreCommand: Command {
    static let valueOptions: Set<String> = ["questionnaires", "questionnaire"]
    static let flagOptions: Set<String> = []
    static let positionalCount = 0...1
    static let help = """
        usage: byneed score [--questionnaires DIR | --questionnaire FILE] [RESPONSE.json | -]

        Reads a FHIR R4 QuestionnaireResponse (a file, or standard input when none or '-' is
        given), finds its questionnaire by the canonical url|version in the questionnaire folder
        (or uses --questionnaire FILE, which may lack url/version: it is read leniently and its
        warnings are printed), and prints JSON: the validation errors, every score (linkId, code,
        value, unit, band), the flags, the triage colour with every reason, and whether every
        score could be computed. Exits 1 when the response cannot be read or its answers are not
        valid.
        """

    static func run(_ options: Options) async throws -> Int32 {
        let input = try readInput(options.positional.first)
        let response: JSON
        do {
            response = try JSON.parse(input)
        } catch {
            printError("byneed: the response is not valid JSON: \(error)")
            return 1
        }
        let (definition, warnings) = try definition(for: response, options)
        let answers: ResponseAnswers
        do {
            answers = try definition.answers(fromResponse: response)
        } catch {
            printError("byneed: the response cannot be read:\n\(error)")
            return 1
        }
        let issues = definition.validateAll(definition.pruned(answers))
        let evaluation = definition.evaluate(answers, now: Date())
        say(report(definition, issues: issues, evaluation: evaluation, warnings: warnings).serialized(pretty: true))
        return issues.isEmpty ? 0 : 1
    }

    private static func readInput(_ path: String?) throws -> [UInt8] {
        guard let path, path != "-" else { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("cannot read \(path)") }
        return Array(data)
    }

    /// The definition the response answers, and the warnings of a leniently read file.
    private static func definition(for response: JSON, _ options: Options) throws -> (QuestionnaireDefinition, [String]) {
        if let file = options.optionalString("questionnaire") {
            guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure("cannot read \(file)") }
            let definition = try QuestionnaireDefinition.parse(bytes: Array(data), source: (file as NSString).lastPathComponent,
                                                               strictness: .lenient)
            return (definition, definition.warnings.map(\.description))
        }
        guard let reference = response["questionnaire"]?.stringValue else {
            throw CommandFailure("the response names no questionnaire; give one with --questionnaire FILE")
        }
        let folder = CommonOptions.questionnaires(options)
        let catalogue = try QuestionnaireCatalogue.load(directory: folder)
        let definition = reference.contains("|")
            ? catalogue.definition(reference: reference) : catalogue.latest(url: reference)
        guard let definition else {
            throw CommandFailure("no questionnaire \(reference) in \(folder); give one with --questionnaire FILE")
        }
        return (definition, [])
    }

    private static func report(_ definition: QuestionnaireDefinition, issues: [ValidationIssue], evaluation: Evaluation,
                               warnings: [String]) -> JSON {
        .object(JSONObject([
            ("questionnaire", .string(definition.reference)),
            ("valid", .bool(issues.isEmpty)),
            ("complete", .bool(evaluation.isComplete)),
            ("errors", .array(issues.map { issue in
                .object(JSONObject([("linkId", .string(issue.linkId)), ("message", .string(issue.message(language: "en")))]))
            })),
            ("scores", .array(evaluation.scores.map { score in
                .object(JSONObject([
                    ("linkId", .string(score.linkId)),
                    ("code", score.codes.first.map { .string($0.code) } ?? .null),
                    ("value", score.value.map { .number(JSONNumber($0)) } ?? .null),
                    ("unit", score.unit.map { .string($0.code) } ?? .null),
                    ("band", score.band.map { .string($0.code) } ?? .null),
                ]))
            })),
            ("flags", .array(evaluation.flags.map { .string($0.code) })),
            ("colour", .string(evaluation.triage.colour.rawValue)),
            ("reasons", .array(evaluation.triage.findings.map { finding in
                .object(JSONObject([("source", .string(finding.source.description)), ("colour", .string(finding.colour.rawValue)),
                                    ("da", .string(finding.reason.resolved(language: "da"))),
                                    ("en", .string(finding.reason.resolved(language: "en")))]))
            })),
            ("warnings", .array((warnings + evaluation.warnings).map(JSON.string))),
        ]))
    }
}

/// A failure a command explains in one sentence (exit code 1).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
