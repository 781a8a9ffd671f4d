/// An organisation's code in the Danish health-care organisation register, SOR
/// (FHIR identifier system `urn:oid:1.2.208.176.1.1`).
///
/// A distinct type so a SOR code cannot be passed where a patient or staff identifier is
/// expected; the policy only compares codes, it does not validate them against SOR.
public struct SORCode: Sendable, Hashable, CustomStringConvertible {
    /// The FHIR identifier system of SOR codes.
    public static let system = "urn:oid:1.2.208.176.1.1"

    /// The code as registered in SOR.
    public let value: String

    /// Wraps a SOR code.
    public init(_ value: String) {
        self.value = value
    }

    public var description: String { value }
}
