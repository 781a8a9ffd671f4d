/// A care organisation that staff and API clients belong to, identified by its SOR code.
///
/// The kind decides which treatment relation the organisation can hold (a hospital
/// department is responsible, a GP clinic is the patient's GP, a municipal health unit gives
/// municipal care) and whether its staff act under the health act at all: social-services
/// units work under serviceloven and get no health data without consent (MISSION.md; seed
/// 000 "Datadeling mellem sundhedsvæsen og det sociale område").
public struct Organisation: Sendable, Hashable {
    /// The sector and legal regime an organisation works in.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A hospital department (region); the responsible department of a pathway.
        case hospitalDepartment
        /// A general practice (egen læge).
        case gpClinic
        /// A municipal health unit: home nursing, rehabilitation (sundhedsloven).
        case municipalHealthUnit
        /// A municipal social-services unit: not a health-care provider (serviceloven).
        case municipalSocialServicesUnit
    }

    /// The organisation's SOR code.
    public let sor: SORCode
    /// What kind of organisation it is.
    public let kind: Kind

    /// Creates an organisation.
    public init(sor: SORCode, kind: Kind) {
        self.sor = sor
        self.kind = kind
    }
}
