/// A text in the definition's base language plus its translations.
///
/// Translations come from the FHIR `translation` extension
/// (`http://hl7.org/fhir/StructureDefinition/translation`, sub-extensions `lang` and
/// `content`) on a string's `_element` (FHIR R4 §2.6.2.1 "Primitive types with extensions").
public struct LocalizedText: Sendable, Hashable, ExpressibleByStringLiteral {
    /// The text as written in the definition's base language.
    public var base: String
    /// Translations by BCP 47 language tag as written in the extension (e.g. `en`, `en-GB`).
    public var translations: [String: String]

    public init(_ base: String, translations: [String: String] = [:]) {
        self.base = base
        self.translations = translations
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    /// The text for `language`: an exact tag match (case-insensitive), then a translation with
    /// the same primary subtag (`en-GB` finds `en`, `en` finds `en-GB`), then the base text.
    public func resolved(language: String) -> String {
        if translations.isEmpty { return base }
        let wanted = language.lowercased()
        if let exact = translations.first(where: { $0.key.lowercased() == wanted }) { return exact.value }
        let primary = Self.primarySubtag(wanted)
        let candidates = translations.filter { Self.primarySubtag($0.key.lowercased()) == primary }
        if let best = candidates.min(by: { $0.key < $1.key }) { return best.value }
        return base
    }

    private static func primarySubtag(_ tag: String) -> Substring {
        tag.split(separator: "-", maxSplits: 1).first ?? Substring(tag)
    }
}
