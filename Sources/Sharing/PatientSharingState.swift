import Foundation

/// Everything about one patient that the access policy needs: relations, blocks, consents.
///
/// Read it fresh for every decision (it is small); the policy itself keeps no state.
public struct PatientSharingState: Sendable, Hashable {
    /// The patient.
    public let patient: PatientReference
    /// Treatment relations, past and present.
    public let relations: [TreatmentRelation]
    /// Blocks against organisations, past and present.
    public let blocks: [SharingBlock]
    /// Explicit consents to municipal non-health units, past and present.
    public let consents: [Consent]

    /// Creates a patient's sharing state.
    public init(patient: PatientReference, relations: [TreatmentRelation] = [], blocks: [SharingBlock] = [],
                consents: [Consent] = []) {
        self.patient = patient
        self.relations = relations
        self.blocks = blocks
        self.consents = consents
    }

    /// The active relation `organisation` holds at `now` of the kind its organisation kind
    /// allows; a relation recorded with a mismatching kind grants nothing.
    public func activeRelation(of organisation: Organisation, at now: Date) -> TreatmentRelation? {
        relations.first {
            $0.organisation == organisation.sor && $0.kind.organisationKind == organisation.kind && $0.isActive(at: now)
        }
    }

    /// True when a block against `organisation` is active at `now`.
    public func isBlocked(_ organisation: SORCode, at now: Date) -> Bool {
        blocks.contains { $0.organisation == organisation && $0.isActive(at: now) }
    }

    /// True when a consent to `organisation` holds at `now`.
    public func hasConsent(for organisation: SORCode, at now: Date) -> Bool {
        consents.contains { $0.organisation == organisation && $0.isActive(at: now) }
    }
}
