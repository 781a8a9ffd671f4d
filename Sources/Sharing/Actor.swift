/// Whoever asks to read: a staff user, the patient themself, or an organisation's API client.
public enum Actor: Sendable, Hashable {
    /// A signed-in staff member.
    case staff(StaffUser)
    /// A signed-in patient (citizen).
    case patient(PatientReference)
    /// A sector IT system acting for an organisation.
    case apiClient(APIClient)
}
