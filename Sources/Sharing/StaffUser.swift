/// A signed-in staff member as the access policy sees them: who, where, and in which role.
public struct StaffUser: Sendable, Hashable {
    /// What a staff member does; the policy grants by role, never by name.
    public enum Role: String, Sendable, Hashable, CaseIterable {
        /// An authorised health professional (doctor, nurse, …) in a hospital or GP clinic.
        case healthProfessional
        /// Municipal health staff (home nurse, therapist) working under sundhedsloven.
        case municipalHealthStaff
        /// Municipal staff working under serviceloven; not health professionals.
        case municipalNonHealthStaff
        /// Configures questionnaires, thresholds and users; sees no patient data.
        case administrator
        /// Works with aggregated figures only.
        case analyst
    }

    /// The staff member's stable identifier.
    public let id: String
    /// The organisation they act for.
    public let organisation: Organisation
    /// Their role.
    public let role: Role
    /// True when the staff member's name is masked in patients' access-log view for their own
    /// safety (MISSION.md "staff may need their names masked").
    public let isProtected: Bool

    /// Creates a staff user.
    public init(id: String, organisation: Organisation, role: Role, isProtected: Bool = false) {
        self.id = id
        self.organisation = organisation
        self.role = role
        self.isProtected = isProtected
    }
}
