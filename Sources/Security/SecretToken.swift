/// Unguessable bearer tokens (invitation links, CSRF tokens), encoded as unpadded base64url.
///
/// Base64url (RFC 4648 §5) keeps tokens safe in URL paths and form fields without escaping.
/// The default of 32 random bytes gives 256 bits; fewer than 16 bytes (128 bits) is refused,
/// the floor OWASP recommends for session identifiers.
public enum SecretToken {
    /// The smallest number of random bytes a token may carry (128 bits).
    public static let minimumByteCount = 16

    /// Returns a fresh token made of `bytes` random bytes (default 32), base64url without padding.
    public static func generate(bytes: Int = 32) -> String {
        precondition(bytes >= minimumByteCount, "SecretToken.generate: \(bytes) bytes is below the 128-bit minimum")
        return Base64URL.encode(SecureRandom.bytes(bytes))
    }
}
