/// What to do with unknown or unsupported search parameters (FHIR R4 search §3.1.1.3
/// "Handling Errors", with the `handling` preference of RFC 7240 §4.4 in the `Prefer` header).
///
/// ByNeed refuses them by default (a misspelt `patient` filter must not silently widen a
/// search); a client that sends `Prefer: handling=lenient` has them ignored and left out of
/// the self link, as R4 requires for parameters the server did not use.
public enum SearchHandling: String, Sendable, Hashable {
    case strict
    case lenient

    /// The handling a `Prefer` header asks for; strict when absent or anything else.
    public init(preferHeader: String?) {
        let preferences = (preferHeader ?? "").split(whereSeparator: { $0 == "," || $0 == ";" })
            .map { $0.filter { !$0.isWhitespace }.lowercased() }
        self = preferences.contains("handling=lenient") ? .lenient : .strict
    }
}
