/// Why a sidecar could not be read as a `BackupManifest`.
public struct BackupManifestProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, naming the member.
    public let reason: String
    public var description: String { reason }
}
