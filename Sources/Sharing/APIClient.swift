/// A sector IT system that fetches results through the API on behalf of one organisation.
///
/// Until scopes exist an API client acts at organisation level with the role its
/// organisation's kind maps to (`role`), and it can never use emergency access: break-glass
/// needs a named person who answers for the reason.
public struct APIClient: Sendable, Hashable {
    /// The client's stable identifier.
    public let id: String
    /// The organisation the client acts for.
    public let organisation: Organisation

    /// Creates an API client.
    public init(id: String, organisation: Organisation) {
        self.id = id
        self.organisation = organisation
    }

    /// The staff role the client is treated as: hospital departments and GP clinics →
    /// health professional, municipal health units → municipal health staff, social-services
    /// units → municipal non-health staff.
    public var role: StaffUser.Role {
        switch organisation.kind {
        case .hospitalDepartment, .gpClinic: .healthProfessional
        case .municipalHealthUnit: .municipalHealthStaff
        case .municipalSocialServicesUnit: .municipalNonHealthStaff
        }
    }
}
