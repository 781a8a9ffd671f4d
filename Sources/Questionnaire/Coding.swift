/// A FHIR R4 Coding: a code from a code system with an optional display.
///
/// FHIR R4 §2.24.0.4 (Coding). Two codings match when their systems and codes match; display
/// is for people only (see `matches(_:)`).
public struct Coding: Sendable, Hashable {
    public var system: String?
    public var code: String
    public var display: String?

    public init(system: String?, code: String, display: String? = nil) {
        self.system = system
        self.code = code
        self.display = display
    }

    /// `true` when code and system are equal; a missing system on either side matches any
    /// system (enableWhen answers often give only the code).
    public func matches(_ other: Coding) -> Bool {
        guard code == other.code else { return false }
        guard let system, let otherSystem = other.system else { return true }
        return system == otherSystem
    }
}
