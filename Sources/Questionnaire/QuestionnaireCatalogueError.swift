/// Why the questionnaire folder could not be loaded into a catalogue.
public enum QuestionnaireCatalogueError: Error, Sendable, CustomStringConvertible {
    /// The folder itself cannot be listed.
    case unreadableDirectory(path: String, reason: String)
    /// One or more files are unreadable, invalid, or define the same `url|version`; every
    /// problem of every file is listed.
    case invalidDefinitions([QuestionnaireProblem])

    public var description: String {
        switch self {
        case .unreadableDirectory(let path, let reason): "\(path): cannot list questionnaire folder: \(reason)"
        case .invalidDefinitions(let problems): problems.map(\.description).joined(separator: "\n")
        }
    }
}
