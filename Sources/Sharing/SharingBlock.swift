import Foundation

/// A patient's block (spærring, negativt samtykke) against sharing with one organisation.
///
/// The patient may refuse that health professionals look up their data (sundhedsloven §42a,
/// and §41 stk. 3 for disclosure). The period is half-open, `[from, until)`; `until` nil
/// means until the patient lifts it.
public struct SharingBlock: Sendable, Hashable {
    /// The organisation the patient does not want to see their data.
    public let organisation: SORCode
    /// When the block takes effect (inclusive).
    public let from: Date
    /// When it stops (exclusive); nil for open-ended.
    public let until: Date?

    /// Creates a block.
    public init(organisation: SORCode, from: Date, until: Date? = nil) {
        self.organisation = organisation
        self.from = from
        self.until = until
    }

    /// True when `now` lies in `[from, until)`.
    public func isActive(at now: Date) -> Bool {
        from <= now && until.map { now < $0 } ?? true
    }
}
