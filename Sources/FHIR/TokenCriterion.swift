import JSON

/// A token search value: `system|code`, `|code` (no system), `code` (any system) or
/// `system|` (any code of the system), FHIR R4 search §3.1.1.4.5 "token".
public struct TokenCriterion: Sendable, Hashable {
    /// What the system must be.
    public enum System: Sendable, Hashable {
        /// Any system (`code` alone).
        case any
        /// No system at all (`|code`).
        case none
        case exactly(String)
    }

    /// What the coding's system must be.
    public let system: System
    /// nil for `system|`: any code of the system.
    public let code: String?

    public init(system: System, code: String?) {
        self.system = system
        self.code = code
    }

    /// Parses one token; nil when it is empty or only `|`.
    static func parse(_ text: String) -> TokenCriterion? {
        guard let bar = text.firstIndex(of: "|") else {
            return text.isEmpty ? nil : TokenCriterion(system: .any, code: text)
        }
        let system = String(text[..<bar])
        let code = String(text[text.index(after: bar)...])
        switch (system.isEmpty, code.isEmpty) {
        case (true, true): return nil
        case (true, false): return TokenCriterion(system: .none, code: code)
        case (false, true): return TokenCriterion(system: .exactly(system), code: nil)
        case (false, false): return TokenCriterion(system: .exactly(system), code: code)
        }
    }

    /// Whether any coding of a CodeableConcept (`{"coding": [...]}`) matches.
    public func matches(codeableConcept: JSON) -> Bool {
        (codeableConcept["coding"]?.arrayValue ?? []).contains { coding in
            coding["code"]?.stringValue.map { matches(system: coding["system"]?.stringValue, code: $0) } ?? false
        }
    }

    /// Whether a coding matches.
    public func matches(system codingSystem: String?, code codingCode: String) -> Bool {
        if let code, code != codingCode { return false }
        switch system {
        case .any: return true
        case .none: return codingSystem == nil
        case .exactly(let wanted): return codingSystem == wanted
        }
    }
}

/// Which patient a search is about.
public enum PatientCriterion: Sendable, Hashable {
    /// The patient with this CPR number (ten digits), from `patient:identifier=`,
    /// `patient.identifier=` or Patient `identifier=`.
    case cpr(String)
    /// The Patient resource with this id (`patient=Patient/<id>`, `_id` on Patient).
    case resourceID(String)
}

/// Which questionnaire a search is about: a canonical (`url` or `url|version`, FHIR R4
/// §2.1.0.10) or the id of a Questionnaire resource.
public enum QuestionnaireCriterion: Sendable, Hashable {
    case canonical(url: String, version: String?)
    case resourceID(String)
}
