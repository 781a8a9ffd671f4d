import Foundation

/// A treatment relation (behandlingsrelation) between a patient and an organisation.
///
/// Health professionals may look up a patient's data only within a current treatment relation
/// (sundhedsloven §42a, stk. 1). The period is half-open, `[start, end)`: a relation that
/// ends at 12:00 is no longer active at 12:00.
public struct TreatmentRelation: Sendable, Hashable {
    /// The organisation's part in the patient's pathway.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The hospital department responsible for the PRO pathway (it enrolled the patient).
        case responsibleDepartment
        /// The patient's own GP (egen læge).
        case generalPractitioner
        /// The municipal health unit caring for the patient.
        case municipalHealthUnit

        /// The only organisation kind that can hold a relation of this kind.
        public var organisationKind: Organisation.Kind {
            switch self {
            case .responsibleDepartment: .hospitalDepartment
            case .generalPractitioner: .gpClinic
            case .municipalHealthUnit: .municipalHealthUnit
            }
        }
    }

    /// The organisation holding the relation.
    public let organisation: SORCode
    /// The organisation's part in the pathway.
    public let kind: Kind
    /// When the relation began (inclusive).
    public let start: Date
    /// When it ended (exclusive); nil while ongoing.
    public let end: Date?

    /// Creates a relation.
    public init(organisation: SORCode, kind: Kind, start: Date, end: Date? = nil) {
        self.organisation = organisation
        self.kind = kind
        self.start = start
        self.end = end
    }

    /// True when `now` lies in `[start, end)`.
    public func isActive(at now: Date) -> Bool {
        start <= now && end.map { now < $0 } ?? true
    }
}
