import Foundation

/// Every questionnaire definition ByNeed serves, validated at start-up, looked up by reference.
///
/// Built once from a folder of FHIR JSON files and then shared read-only; a single bad file
/// stops start-up with every problem listed, so nothing half-valid is ever served.
public struct QuestionnaireCatalogue: Sendable {
    /// All definitions, sorted by url then version (oldest first).
    public let all: [QuestionnaireDefinition]
    private let byReference: [String: QuestionnaireDefinition]

    /// A catalogue of already validated definitions; `url|version` must be unique.
    public init(definitions: [QuestionnaireDefinition]) throws(QuestionnaireCatalogueError) {
        let duplicates = Self.duplicateProblems(definitions)
        guard duplicates.isEmpty else { throw .invalidDefinitions(duplicates) }
        self.byReference = Dictionary(definitions.map { ($0.reference, $0) }, uniquingKeysWith: { first, _ in first })
        self.all = definitions.sorted {
            $0.url != $1.url ? $0.url < $1.url : Self.compareVersions($0.version, $1.version) == .orderedAscending
        }
    }

    /// Reads every `*.json` file directly in `directory` (sorted by name), validates each in
    /// catalogue mode, and collects the problems of all files before failing.
    public static func load(directory: String) throws(QuestionnaireCatalogueError) -> QuestionnaireCatalogue {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw .unreadableDirectory(path: directory, reason: error.localizedDescription)
        }
        var files: [(name: String, bytes: [UInt8])] = []
        var problems: [QuestionnaireProblem] = []
        for name in names.sorted() where name.hasSuffix(".json") {
            let path = (directory as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            guard let data = FileManager.default.contents(atPath: path) else {
                problems.append(QuestionnaireProblem(source: name, path: "", kind: .unreadableFile(reason: "permission denied or I/O error")))
                continue
            }
            files.append((name, Array(data)))
        }
        return try build(files: files, readProblems: problems)
    }

    /// Builds a catalogue from file contents (name, bytes) without touching the file system.
    public static func build(files: [(name: String, bytes: [UInt8])]) throws(QuestionnaireCatalogueError) -> QuestionnaireCatalogue {
        try build(files: files, readProblems: [])
    }

    private static func build(files: [(name: String, bytes: [UInt8])], readProblems: [QuestionnaireProblem]) throws(QuestionnaireCatalogueError) -> QuestionnaireCatalogue {
        var definitions: [QuestionnaireDefinition] = []
        var problems = readProblems
        for file in files {
            do {
                definitions.append(try QuestionnaireDefinition.parse(bytes: file.bytes, source: file.name, strictness: .catalogue))
            } catch {
                problems += error.problems
            }
        }
        problems += duplicateProblems(definitions)
        guard problems.isEmpty else { throw .invalidDefinitions(problems) }
        return try QuestionnaireCatalogue(definitions: definitions)
    }

    /// One problem for each definition whose `url|version` an earlier one already uses.
    private static func duplicateProblems(_ definitions: [QuestionnaireDefinition]) -> [QuestionnaireProblem] {
        var seen: [String: String] = [:]
        return definitions.compactMap { definition in
            if let other = seen[definition.reference] {
                return QuestionnaireProblem(source: definition.sourceName, path: "", kind: .duplicateReference(definition.reference, otherSource: other))
            }
            seen[definition.reference] = definition.sourceName
            return nil
        }
    }

    // MARK: Lookups

    /// The definition with canonical reference `url|version`.
    public func definition(reference: String) -> QuestionnaireDefinition? {
        byReference[reference]
    }

    /// The definition with `url` and `version`.
    public func definition(url: String, version: String) -> QuestionnaireDefinition? {
        byReference["\(url)|\(version)"]
    }

    /// The highest version of `url` (see `compareVersions(_:_:)`).
    public func latest(url: String) -> QuestionnaireDefinition? {
        all.last { $0.url == url }
    }

    /// Orders versions "semantic-ish": split at the first `-` into release and pre-release;
    /// release parts split at `.` compare numerically when both are numbers, else as text,
    /// with missing parts as 0 (`1.2` = `1.2.0`); a version with a pre-release (`1.0.0-beta`)
    /// comes before the same version without one (SemVer 2.0.0 §11, simplified).
    public static func compareVersions(_ lhs: String, _ rhs: String) -> ComparisonResult {
        func split(_ version: String) -> (release: [Substring], pre: Substring?) {
            let halves = version.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            return (halves[0].split(separator: ".", omittingEmptySubsequences: false), halves.count > 1 ? halves[1] : nil)
        }
        func compareParts(_ left: [Substring], _ right: [Substring], pad: Substring?) -> ComparisonResult {
            for index in 0..<max(left.count, right.count) {
                guard let l = index < left.count ? left[index] : pad, let r = index < right.count ? right[index] : pad else {
                    return index < left.count ? .orderedDescending : .orderedAscending
                }
                let order: ComparisonResult
                if let ln = Int(l), let rn = Int(r) {
                    order = ln < rn ? .orderedAscending : (ln > rn ? .orderedDescending : .orderedSame)
                } else {
                    order = l < r ? .orderedAscending : (l > r ? .orderedDescending : .orderedSame)
                }
                if order != .orderedSame { return order }
            }
            return .orderedSame
        }
        let (left, right) = (split(lhs), split(rhs))
        let release = compareParts(left.release, right.release, pad: "0")
        guard release == .orderedSame else { return release }
        switch (left.pre, right.pre) {
        case (nil, nil): return .orderedSame
        case (nil, _): return .orderedDescending
        case (_, nil): return .orderedAscending
        case (let l?, let r?): return compareParts(l.split(separator: "."), r.split(separator: "."), pad: nil)
        }
    }
}
