/// FHIR resource ids: `[A-Za-z0-9\-\.]{1,64}` (FHIR R4 §2.24.0.1 "id").
///
/// ByNeed derives ids from stored values (`obs-<response UUID>-<linkId>`); a linkId may hold
/// characters an id may not, or make the id too long. `make(_:)` keeps a valid text as it is
/// and otherwise replaces every other character by `-`, then appends a hash of the original
/// text, so two different texts that sanitise alike still get different ids, and the same
/// text always gets the same id.
public enum FHIRID {
    /// The longest id FHIR R4 allows.
    public static let maxLength = 64
    /// Hex digits of the hash appended to a sanitised id.
    static let hashLength = 12

    /// Whether `text` is a valid FHIR id.
    public static func isValid(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= maxLength && text.utf8.allSatisfy(isAllowed)
    }

    /// `text` when it is a valid id; else a stable valid id derived from it.
    public static func make(_ text: String) -> String {
        if isValid(text) { return text }
        let sanitised = String(decoding: text.utf8.map { isAllowed($0) ? $0 : UInt8(ascii: "-") }, as: UTF8.self)
        let suffix = "-" + hash(text)
        return String(sanitised.prefix(maxLength - suffix.utf8.count)) + suffix
    }

    /// Joins parts with `-` into one id (`make` applied to the whole).
    public static func make(_ parts: String...) -> String {
        make(parts.joined(separator: "-"))
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."): true
        default: false
        }
    }

    /// 64-bit FNV-1a of the UTF-8 text (Fowler/Noll/Vo, "FNV hash", offset basis
    /// 14695981039346656037, prime 1099511628211), the first `hashLength` hex digits: stable
    /// across runs and platforms, unlike `Hasher`, which is seeded per process.
    static func hash(_ text: String) -> String {
        var value: UInt64 = 14_695_981_039_346_656_037
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 1_099_511_628_211
        }
        let hex = String(value, radix: 16)
        return String((String(repeating: "0", count: 16 - hex.count) + hex).prefix(hashLength))
    }
}
