import Foundation
import Sharing
import Storage

/// One span of a patient's sharing choice about one organisation, as the FHIR API serves it
/// (one R4 Consent each): a block until it is lifted, a consent until it is withdrawn, given
/// anew, or expires.
///
/// Built by replaying the stored choices exactly as `SharingRecords.state` does for the access
/// policy, so what a client reads is what the policy applies: a second block of an already
/// blocked organisation and an unblock or withdrawal with nothing open change nothing.
public struct ConsentEpisode: Sendable, Hashable {
    /// Whether the patient refused or allowed sharing.
    public enum Kind: Sendable, Hashable {
        /// Spærring (negativt samtykke): no sharing with the organisation.
        case block
        /// Samtykke: the organisation (a social-services unit) may see results and identity.
        case consent
    }

    /// Block or consent.
    public let kind: Kind
    /// The organisation the choice is about.
    public let organisation: Department
    /// The choice that began the episode; the resource id is derived from its row.
    public let start: SharingChoice
    /// When the episode ends (exclusive): the unblock, the withdrawal or replacing consent, or
    /// the consent's effective expiry; nil for a block not lifted.
    public let end: Date?

    /// True when `now` lies in `[start, end)`.
    public func isActive(at now: Date) -> Bool {
        start.at <= now && end.map { now < $0 } ?? true
    }

    /// When the episode ended, if it has by `now` (its resource then gets a second version).
    public func endedAt(_ now: Date) -> Date? {
        end.flatMap { $0 <= now ? $0 : nil }
    }

    /// The episodes of one patient's choices (oldest first, as `SharingRecords.choices` gives
    /// them), in the order they began.
    public static func episodes(_ choices: [SharingChoice]) -> [ConsentEpisode] {
        var closed: [ConsentEpisode] = []
        var openBlocks: [String: SharingChoice] = [:]
        var openConsents: [String: SharingChoice] = [:]
        for choice in choices {
            let sor = choice.organisation.sorCode
            switch choice.kind {
            case .block:
                if openBlocks[sor] == nil { openBlocks[sor] = choice }
            case .unblock:
                if let open = openBlocks.removeValue(forKey: sor) { closed.append(block(open, until: choice.at)) }
            case .consent:
                if let open = openConsents[sor] { closed.append(consent(open, withdrawnAt: choice.at)) }
                openConsents[sor] = choice
            case .withdrawConsent:
                if let open = openConsents.removeValue(forKey: sor) { closed.append(consent(open, withdrawnAt: choice.at)) }
            }
        }
        let open = openBlocks.values.map { block($0, until: nil) } + openConsents.values.map { consent($0, withdrawnAt: nil) }
        return (closed + open).sorted { $0.start.id < $1.start.id }
    }

    private static func block(_ choice: SharingChoice, until end: Date?) -> ConsentEpisode {
        ConsentEpisode(kind: .block, organisation: choice.organisation, start: choice, end: end)
    }

    /// A consent's end is the earliest of its recorded expiry, the one-year limit and the
    /// withdrawal (`Sharing.Consent.effectiveEnd`).
    private static func consent(_ choice: SharingChoice, withdrawnAt: Date?) -> ConsentEpisode {
        let terms = Consent(organisation: SORCode(choice.organisation.sorCode), givenAt: choice.at,
                            expiresAt: choice.expiresAt ?? choice.at.addingTimeInterval(Consent.maximumDuration), withdrawnAt: withdrawnAt)
        return ConsentEpisode(kind: .consent, organisation: choice.organisation, start: choice, end: terms.effectiveEnd)
    }
}
