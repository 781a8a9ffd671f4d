/// Decoding of `application/x-www-form-urlencoded` bodies and queries (WHATWG URL §5.1).
///
/// Rules: pairs split on `&`, empty pairs skipped, name and value split at the first `=` (a pair
/// without `=` has an empty value), `+` becomes a space, `%XX` is decoded once. A `%` not followed by
/// two hex digits is kept literally, and byte sequences that are not valid UTF-8 are **replaced** with
/// U+FFFD — the same choice browsers make — so decoding never fails and never drops a field silently.
public enum FormData {
    /// Decodes form-urlencoded bytes into ordered `(name, value)` pairs; repeated names are kept.
    public static func decode(_ bytes: [UInt8]) -> [(name: String, value: String)] {
        bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true).map { pair in
            let name: ArraySlice<UInt8>
            let value: ArraySlice<UInt8>
            if let equals = pair.firstIndex(of: UInt8(ascii: "=")) {
                name = pair[..<equals]
                value = pair[(equals + 1)...]
            } else {
                name = pair
                value = []
            }
            return (decodeComponent(name), decodeComponent(value))
        }
    }

    private static func decodeComponent(_ bytes: ArraySlice<UInt8>) -> String {
        let decoded = PercentEncoding.decode(bytes, plusAsSpace: true, malformed: .keepLiteral) ?? Array(bytes)
        return String(decoding: decoded, as: UTF8.self)
    }
}
