internal import CCrypto

/// SHA-256 digests (FIPS 180-4) computed by OpenSSL's EVP interface.
///
/// Used to store invitation tokens by hash, so a leaked database does not leak working links.
public enum SHA256 {
    /// The digest length in bytes.
    public static let byteCount = 32

    /// Returns the 32-byte SHA-256 digest of `bytes`.
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let status = withNonNullBytes(Array(bytes)) { pointer, count in
            digest.withUnsafeMutableBufferPointer { out in
                EVP_Digest(pointer, count, out.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        guard status == 1, length == UInt32(byteCount) else {
            fatalError("SHA256: EVP_Digest failed (status \(status), length \(length))")
        }
        return digest
    }

    /// Returns the lowercase hex SHA-256 digest of the UTF-8 bytes of `string`.
    public static func hex(_ string: String) -> String {
        Hex.encode(hash(Array(string.utf8)))
    }
}

/// Calls `body` with a non-null pointer to `bytes` and their count.
///
/// OpenSSL rejects or mishandles a null pointer even when the length is zero, and an empty
/// Swift array may hand out a null base address; a one-byte dummy stands in for empty input.
func withNonNullBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawPointer, Int) -> R) -> R {
    if bytes.isEmpty {
        let dummy: UInt8 = 0
        return withUnsafeBytes(of: dummy) { body($0.baseAddress!, 0) }
    }
    return bytes.withUnsafeBytes { body($0.baseAddress!, $0.count) }
}
