internal import CCrypto

/// PBKDF2 with HMAC-SHA256 as the pseudorandom function (RFC 8018 §5.2), computed by OpenSSL.
///
/// The building block of `PasswordHash`; exposed on its own so the published vectors of
/// RFC 7914 §11 can be checked against it directly. Source: OpenSSL `PKCS5_PBKDF2_HMAC(3)`.
public enum PBKDF2 {
    /// Returns `byteCount` bytes derived from `password` and `salt` with `iterations` rounds of
    /// HMAC-SHA256; `iterations` and `byteCount` must be positive.
    public static func hmacSHA256(password: some Collection<UInt8>, salt: some Collection<UInt8>,
                                  iterations: Int, byteCount: Int) -> [UInt8] {
        precondition(iterations > 0 && iterations <= Int(Int32.max), "PBKDF2: iterations \(iterations) out of range")
        precondition(byteCount > 0 && byteCount <= Int(Int32.max), "PBKDF2: byteCount \(byteCount) out of range")
        let passwordBytes = Array(password)
        let saltBytes = Array(salt)
        precondition(passwordBytes.count <= Int(Int32.max) && saltBytes.count <= Int(Int32.max), "PBKDF2: input too long")
        var output = [UInt8](repeating: 0, count: byteCount)
        let status = withNonNullBytes(passwordBytes) { passwordPointer, passwordCount in
            withNonNullBytes(saltBytes) { saltPointer, saltCount in
                output.withUnsafeMutableBufferPointer { out in
                    PKCS5_PBKDF2_HMAC(passwordPointer.assumingMemoryBound(to: CChar.self), Int32(passwordCount),
                                      saltPointer.assumingMemoryBound(to: UInt8.self), Int32(saltCount),
                                      Int32(iterations), EVP_sha256(), Int32(byteCount), out.baseAddress)
                }
            }
        }
        guard status == 1 else { fatalError("PBKDF2: PKCS5_PBKDF2_HMAC failed (status \(status))") }
        return output
    }
}
