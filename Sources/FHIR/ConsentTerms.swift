/// The code systems and legal texts of ByNeed's Consent resources.
enum ConsentTerms {
    /// R4 `consent-scope` (terminology.hl7.org CodeSystem consentscope).
    static let scope = "http://terminology.hl7.org/CodeSystem/consentscope"
    /// LOINC, for the Consent category 59284-0 (R4 `consent-category` value set).
    static let loinc = "http://loinc.org"
    /// HL7 v3 ParticipationType, for the provision actor's role (IRCP, information recipient).
    static let participationType = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"

    /// The rule the choice rests on, as ByNeed's access policy applies it (docs/access-policy.md,
    /// "Sources"): a block is the patient's right to refuse disclosure (sundhedsloven §41 stk. 3)
    /// and electronic look-up (§42a); a consent to a social-services unit is disclosure for
    /// purposes other than treatment with consent (§43 stk. 1; GDPR art. 9(2)(a)), for at most
    /// a year (seed 002).
    static func rule(_ kind: ConsentEpisode.Kind) -> String {
        switch kind {
        case .block:
            "Spærring (negativt samtykke): patienten frabeder sig videregivelse (sundhedsloven §41 stk. 3) "
                + "og elektronisk opslag (sundhedsloven §42a) hos organisationen"
        case .consent:
            "Samtykke til videregivelse til andet formål end behandling (sundhedsloven §43 stk. 1; GDPR art. 9(2)(a)), "
                + "højst et år, kan tilbagekaldes når som helst"
        }
    }
}
