import FHIRPath
import Foundation
import JSON

/// `byneed fhirpath`: evaluates FHIRPath expressions over a resource and prints each result
/// collection as one JSON line, for checking questionnaire expressions by hand and for the
/// comparison harness against fhirpathpy (Tests/FHIRPathTests/Comparison).
enum FHIRPathCommand: Command {
    static let valueOptions: Set<String> = ["resource", "questionnaire", "variable", "expression", "expressions"]
    static let flagOptions: Set<String> = []
    static let help = """
        usage: byneed fhirpath --resource FILE [--questionnaire FILE] [--variable name=json]...
                               (--expression EXPRESSION | --expressions FILE)

        Evaluates FHIRPath over the resource (%resource and %context) with %questionnaire set to
        the questionnaire file when given, and prints each result as one JSON line:
        [{"type":"integer","value":3}, …], or {"error":"…"} when the expression fails.
        --expressions reads one expression per line (blank lines and lines starting with # are
        skipped). --variable may be repeated; its value is JSON (an array gives several items).
        """

    static func run(_ options: Options) async throws -> Int32 {
        guard let resourcePath = options.optionalString("resource") else {
            throw Options.UsageError(description: "--resource is required")
        }
        let expressions: [String]
        switch (options.optionalString("expression"), options.optionalString("expressions")) {
        case (let expression?, nil):
            expressions = [expression]
        case (nil, let path?):
            expressions = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                .map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("#") }
        default:
            throw Options.UsageError(description: "give exactly one of --expression and --expressions")
        }
        let resource = try readJSON(resourcePath)
        var environment = FHIRPathEnvironment()
        environment.setResource(FHIRPathNode(json: resource), questionnaire: try options.optionalString("questionnaire").map(readJSON).map { FHIRPathNode(json: $0) })
        for (name, value) in try variables() { environment.variables[name] = value }
        for expression in expressions {
            do {
                let result = try FHIRPathExpression.compile(expression).evaluate(resource, environment: environment)
                say(JSON.array(result.map(\.typedJSON)).serialized())
            } catch {
                say(JSON.object(JSONObject([("error", .string(error.description))])).serialized())
            }
        }
        return 0
    }

    private static func readJSON(_ path: String) throws -> JSON {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandError(description: "cannot read \(path)")
        }
        do {
            return try JSON.parse([UInt8](data))
        } catch {
            throw CommandError(description: "\(path): \(error)")
        }
    }

    /// Every `--variable name=json`. The shared option parser keeps only the last value of an
    /// option, so repeated ones are collected from the raw command line.
    private static func variables() throws -> [String: [FHIRPathValue]] {
        var result: [String: [FHIRPathValue]] = [:]
        var arguments = CommandLine.arguments.dropFirst()[...]
        while let argument = arguments.popFirst() {
            let text: String
            if argument == "--variable", let value = arguments.popFirst() {
                text = value
            } else if argument.hasPrefix("--variable=") {
                text = String(argument.dropFirst("--variable=".count))
            } else {
                continue
            }
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex,
                  let json = try? JSON.parse(String(text[text.index(after: equals)...])) else {
                throw Options.UsageError(description: "--variable needs name=json, e.g. threshold=10, not '\(text)'")
            }
            result[String(text[..<equals])] = FHIRPathValue.collection(from: json)
        }
        return result
    }

    private struct CommandError: Error, CustomStringConvertible {
        let description: String
    }
}
