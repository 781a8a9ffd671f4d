/// How a staff member appears in a patient's access-log view.
public enum AccessLogActorLabel: Sendable, Hashable {
    /// Shown by identifier (the view looks up the name) and organisation.
    case named(staffID: String, organisation: SORCode)
    /// Shown by organisation only: the staff member is protected.
    case organisationOnly(SORCode)
}

extension AccessPolicy {
    /// The label a patient sees for `staff` in their access log: protected staff appear by
    /// organisation only, so the patient still learns where the look-up came from.
    ///
    /// Staff "may need their names masked for their own safety" (MISSION.md); lovforslag L 182
    /// (2024-25) proposes a matching rule for aktindsigt (a new sundhedsloven §37 stk. 4). The
    /// audit row itself always keeps the staff identifier.
    public static func accessLogLabel(for staff: StaffUser) -> AccessLogActorLabel {
        staff.isProtected ? .organisationOnly(staff.organisation.sor)
            : .named(staffID: staff.id, organisation: staff.organisation.sor)
    }
}
