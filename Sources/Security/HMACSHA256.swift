internal import CCrypto

/// HMAC-SHA256 message authentication codes (RFC 2104, FIPS 198-1) computed by OpenSSL.
public enum HMACSHA256 {
    /// The authentication code length in bytes.
    public static let byteCount = 32

    /// Returns the 32-byte HMAC-SHA256 of `message` under `key`.
    public static func authenticationCode(key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        let keyBytes = Array(key)
        precondition(keyBytes.count <= Int(Int32.max), "HMACSHA256: key too long")
        var code = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let result = withNonNullBytes(keyBytes) { keyPointer, keyCount in
            withNonNullBytes(Array(message)) { messagePointer, messageCount in
                code.withUnsafeMutableBufferPointer { out in
                    HMAC(EVP_sha256(), keyPointer, Int32(keyCount),
                         messagePointer.assumingMemoryBound(to: UInt8.self), messageCount,
                         out.baseAddress, &length)
                }
            }
        }
        guard result != nil, length == UInt32(byteCount) else {
            fatalError("HMACSHA256: HMAC failed (length \(length))")
        }
        return code
    }
}
