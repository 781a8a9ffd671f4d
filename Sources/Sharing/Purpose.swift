/// Why a staff member reads: in the ordinary course of care, or in an emergency without a
/// treatment relation ("break-glass").
public enum Purpose: Sendable, Hashable {
    /// Ordinary access; rights come from relations, consent or ownership.
    case routine
    /// Emergency access by a health professional who has no relation with the patient; the
    /// reason is required (blank is refused), recorded, and the access is flagged for review.
    case emergency(reason: String)
}
