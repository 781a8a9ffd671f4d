internal import CCrypto

/// HMAC-SHA1 message authentication codes (RFC 2104) computed by OpenSSL, for HOTP/TOTP only.
///
/// SHA-1 is broken for collision resistance, but HMAC-SHA1 remains a sound PRF and is the
/// algorithm RFC 4226 §5 specifies and authenticator apps implement by default (RFC 6238 §1.2).
/// Use `HMACSHA256` for anything else.
public enum HMACSHA1 {
    /// The authentication code length in bytes.
    public static let byteCount = 20

    /// Returns the 20-byte HMAC-SHA1 of `message` under `key`.
    public static func authenticationCode(key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        let keyBytes = Array(key)
        precondition(keyBytes.count <= Int(Int32.max), "HMACSHA1: key too long")
        var code = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let result = withNonNullBytes(keyBytes) { keyPointer, keyCount in
            withNonNullBytes(Array(message)) { messagePointer, messageCount in
                code.withUnsafeMutableBufferPointer { out in
                    HMAC(EVP_sha1(), keyPointer, Int32(keyCount),
                         messagePointer.assumingMemoryBound(to: UInt8.self), messageCount,
                         out.baseAddress, &length)
                }
            }
        }
        guard result != nil, length == UInt32(byteCount) else {
            fatalError("HMACSHA1: HMAC failed (length \(length))")
        }
        return code
    }
}
