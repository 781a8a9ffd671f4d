import FollowUp
import Foundation
import Questionnaire

/// One subcommand: its options, its help, and what it does.
protocol Command {
    /// The options that take a value, and the flags.
    static var valueOptions: Set<String> { get }
    static var flagOptions: Set<String> { get }
    static var help: String { get }
    /// How many file arguments the command takes besides its options.
    static var positionalCount: ClosedRange<Int> { get }
    /// Runs with parsed options; returns the exit code (0 ok, 1 failure).
    static func run(_ options: Options) async throws -> Int32
}

extension Command {
    static var positionalCount: ClosedRange<Int> { 0...0 }

    /// Parses, runs and maps errors to exit codes: 64 for usage errors (EX_USAGE), 1 for failures.
    static func main(_ arguments: [String]) async -> Int32 {
        if arguments.contains("--help") || arguments.contains("-h") {
            say(help)
            return 0
        }
        do {
            let options = try Options(arguments[...], valueOptions: valueOptions, flagOptions: flagOptions)
            let files = options.positional
            if files.count < positionalCount.lowerBound { throw Options.UsageError(description: "a file argument is missing") }
            if files.count > positionalCount.upperBound {
                throw Options.UsageError(description: "unexpected argument '\(files[positionalCount.upperBound])'")
            }
            return try await run(options)
        } catch let error as Options.UsageError {
            printError("byneed: \(error)\n\n\(help)")
            return 64
        } catch {
            printError("byneed: \(error)")
            return 1
        }
    }
}

/// Writes a line to standard output at once (write(2), no stdio buffer), so a printed link
/// reaches a pipe — a supervisor, a test — the moment it is made.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Options shared by every command that reads the project's folders or the database.
enum CommonOptions {
    static let paths: Set<String> = ["data-dir", "questionnaires", "templates", "public"]

    static func dataDirectory(_ options: Options) -> String { options.string("data-dir", default: "data") }
    static func questionnaires(_ options: Options) -> String { options.string("questionnaires", default: "Questionnaires") }
    static func templates(_ options: Options) -> String { options.string("templates", default: "Templates") }
    static func publicFolder(_ options: Options) -> String { options.string("public", default: "Public") }

    /// The follow-up plans in `<questionnaires>/plans`, each checked against the questionnaires
    /// it names (a folder without plans gives none).
    static func plans(_ options: Options, catalogue: QuestionnaireCatalogue? = nil) throws -> [FollowUpPlan] {
        let folder = (questionnaires(options) as NSString).appendingPathComponent("plans")
        guard FileManager.default.fileExists(atPath: folder) else { return [] }
        let known = try catalogue ?? QuestionnaireCatalogue.load(directory: questionnaires(options))
        return try PlanLoader.load(directory: folder) { known.definition(url: $0, version: $1) != nil }
    }
}
