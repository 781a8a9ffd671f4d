/// Errors thrown by the Security module.
public enum SecurityError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Text that is not canonical unpadded base64url; `offset` is the UTF-8 offset of the
    /// first offending character (the last one for a bad length or non-zero trailing bits).
    case invalidBase64URL(offset: Int)

    public var description: String {
        switch self {
        case .invalidBase64URL(let offset):
            "invalid base64url text at byte offset \(offset)"
        }
    }
}
