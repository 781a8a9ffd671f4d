import Foundation

/// Command-line options of one subcommand: `--name value`, `--flag`, with `BYNEED_NAME`
/// environment variables as fallbacks, so the same setting works in a shell and in a unit file.
struct Options {
    /// The arguments that are not options (file names), in order.
    private(set) var positional: [String] = []
    private var values: [String: String] = [:]
    private var flags: Set<String> = []
    private let environment: [String: String]

    /// A usage error: printed with the subcommand's help, exit code 64 (EX_USAGE).
    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    init(_ arguments: ArraySlice<String>, valueOptions: Set<String>, flagOptions: Set<String>,
         environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.environment = environment
        var rest = arguments
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("--") else {
                positional.append(argument)
                continue
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if flagOptions.contains(name), inlineValue == nil {
                flags.insert(name)
            } else if valueOptions.contains(name) {
                guard let value = inlineValue ?? rest.popFirst() else {
                    throw UsageError(description: "--\(name) needs a value")
                }
                values[name] = value
            } else {
                throw UsageError(description: "unknown option --\(name)")
            }
        }
    }

    /// The option's value, else `BYNEED_<NAME>` from the environment, else the default.
    func string(_ name: String, default fallback: String) -> String {
        values[name] ?? environment[Self.environmentName(name)] ?? fallback
    }

    func optionalString(_ name: String) -> String? {
        values[name] ?? environment[Self.environmentName(name)]
    }

    func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = optionalString(name) else { return fallback }
        guard let number = Int(text), range.contains(number) else {
            throw UsageError(description: "--\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
        }
        return number
    }

    /// A flag given on the command line, or `BYNEED_<NAME>` set to 1/true/yes.
    func flag(_ name: String) -> Bool {
        flags.contains(name) || ["1", "true", "yes"].contains(environment[Self.environmentName(name)]?.lowercased() ?? "")
    }

    static func environmentName(_ option: String) -> String {
        "BYNEED_" + option.uppercased().replacingOccurrences(of: "-", with: "_")
    }
}
