import Foundation

/// A patient's explicit consent that one municipal non-health unit may see their results.
///
/// Consent for purposes outside treatment may be withdrawn at any time and lapses after at
/// most one year (MISSION.md "Samtykke"; seed 002: "samtykket må max være et år gammelt").
/// The policy therefore never trusts `expiresAt` alone: the effective expiry is the earlier of
/// `expiresAt` and `givenAt` + `maximumDuration`. All periods are half-open: consent that
/// expires or is withdrawn at 12:00 no longer holds at 12:00.
public struct Consent: Sendable, Hashable {
    /// The longest a consent can hold: 365 days, which is never more than one calendar year.
    public static let maximumDuration: TimeInterval = 365 * 24 * 60 * 60

    /// The unit the patient consented to share with.
    public let organisation: SORCode
    /// When consent was given (inclusive).
    public let givenAt: Date
    /// When consent expires as recorded (exclusive).
    public let expiresAt: Date
    /// When the patient withdrew it (exclusive end), or nil.
    public let withdrawnAt: Date?

    /// Creates a consent record.
    public init(organisation: SORCode, givenAt: Date, expiresAt: Date, withdrawnAt: Date? = nil) {
        self.organisation = organisation
        self.givenAt = givenAt
        self.expiresAt = expiresAt
        self.withdrawnAt = withdrawnAt
    }

    /// The instant the consent stops holding, whichever comes first: recorded expiry, the
    /// one-year limit, or withdrawal.
    public var effectiveEnd: Date {
        var end = min(expiresAt, givenAt.addingTimeInterval(Self.maximumDuration))
        if let withdrawnAt { end = min(end, withdrawnAt) }
        return end
    }

    /// True when `now` lies in `[givenAt, effectiveEnd)`.
    public func isActive(at now: Date) -> Bool {
        givenAt <= now && now < effectiveEnd
    }
}
