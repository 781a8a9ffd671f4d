/// ByNeed's internal identifier of a patient (not the CPR number, which is identity data).
public struct PatientReference: Sendable, Hashable, CustomStringConvertible {
    /// The identifier text.
    public let value: String

    /// Wraps a patient identifier.
    public init(_ value: String) {
        self.value = value
    }

    public var description: String { value }
}
