import Foundation

extension FHIRPathEvaluator {
    /// The longest regular expression pattern accepted, in characters (a guard against
    /// catastrophic backtracking, which a step budget cannot interrupt).
    static let maxPatternLength = 1000
    /// The longest input text a regular expression is run on, in characters.
    static let maxRegexInputLength = 10_000

    /// The string functions of N1 §5.6 on one input string; `arguments` are already evaluated.
    func stringFunction(_ function: FHIRPathFunction, _ text: String, _ arguments: [[FHIRPathValue]]) throws(FHIRPathError) -> [FHIRPathValue] {
        let name = function.rawValue
        func argumentText(_ index: Int) throws(FHIRPathError) -> String? { try string(arguments[index], name) }
        let characters = Array(text)
        switch function {
        case .indexOf:
            guard let part = try argumentText(0) else { return [] }
            if part.isEmpty { return [.integer(0)] }
            guard let range = text.range(of: part) else { return [.integer(-1)] }
            return [.integer(text.distance(from: text.startIndex, to: range.lowerBound))]
        case .substring:
            guard let start = try integer(arguments[0], name), characters.indices.contains(start) else { return [] }
            let length = arguments.count > 1 ? try integer(arguments[1], name) : nil
            let end = length.map { $0 >= characters.count - start ? characters.count : start + max(0, $0) } ?? characters.count
            return [.string(String(characters[start..<end]))]
        case .startsWith:
            return try argumentText(0).map { FHIRPathValue.singleton(text.hasPrefix($0)) } ?? []
        case .endsWith:
            return try argumentText(0).map { FHIRPathValue.singleton(text.hasSuffix($0)) } ?? []
        case .contains:
            return try argumentText(0).map { FHIRPathValue.singleton($0.isEmpty || text.contains($0)) } ?? []
        case .upper:
            return [.string(text.uppercased())]
        case .lower:
            return [.string(text.lowercased())]
        case .replace:
            guard let pattern = try argumentText(0), let substitution = try argumentText(1) else { return [] }
            let replaced = pattern.isEmpty ? characters.count + 1 : text.components(separatedBy: pattern).count - 1
            try checkResultLength(text.utf8.count + replaced * (substitution.utf8.count - pattern.utf8.count), of: name)
            if pattern.isEmpty {
                return try checkLength(substitution + characters.map { String($0) + substitution }.joined())
            }
            return try checkLength(text.replacingOccurrences(of: pattern, with: substitution))
        case .matches:
            guard let pattern = try argumentText(0) else { return [] }
            let regex = try Self.regularExpression(pattern, input: text)
            return FHIRPathValue.singleton(regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil)
        case .replaceMatches:
            guard let pattern = try argumentText(0), let substitution = try argumentText(1) else { return [] }
            let regex = try Self.regularExpression(pattern, input: text)
            try checkReplacementLength(regex, text, substitution)
            return try checkLength(regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text),
                                                                  withTemplate: substitution))
        case .length:
            return [.integer(characters.count)]
        case .toChars:
            return characters.map { .string(String($0)) }
        case .trim:
            return [.string(text.trimmingCharacters(in: .whitespacesAndNewlines))]
        default:
            guard let separator = try argumentText(0) else { return [] }
            guard !separator.isEmpty else { return characters.map { .string(String($0)) } }
            return text.components(separatedBy: separator).map(FHIRPathValue.string)
        }
    }

    /// Refuses a `replace`/`replaceMatches` result of `utf8Count` bytes before it is built: one
    /// short pattern over a long text with a long substitution multiplies two lengths, which the
    /// check of the finished string would only see after the memory is gone.
    private func checkResultLength(_ utf8Count: Int, of function: String) throws(FHIRPathError) {
        guard utf8Count <= environment.maxStringLength else {
            throw .tooLarge("\(function) would build a string longer than \(environment.maxStringLength) characters")
        }
    }

    /// `checkResultLength` for `replaceMatches`: the result holds every expanded template (`$1`
    /// can repeat captured text), so their sum alone must fit; stops at the first one past it.
    private func checkReplacementLength(_ regex: NSRegularExpression, _ text: String, _ template: String) throws(FHIRPathError) {
        var length = 0
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            length += regex.replacementString(for: match, in: text, offset: 0, template: template).utf8.count
            try checkResultLength(length, of: FHIRPathFunction.replaceMatches.rawValue)
        }
    }

    /// Compiles a pattern with `.` matching line ends (N1 §5.6.9 `matches`: single-line mode).
    private static func regularExpression(_ pattern: String, input: String) throws(FHIRPathError) -> NSRegularExpression {
        guard pattern.count <= maxPatternLength, input.count <= maxRegexInputLength else {
            throw .tooLarge("regular expressions are limited to \(maxPatternLength)-character patterns over \(maxRegexInputLength)-character text")
        }
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]) else {
            throw .invalidRegex(pattern: pattern)
        }
        return regex
    }
}
