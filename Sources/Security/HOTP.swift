/// HMAC-based one-time passwords (RFC 4226), the counter-driven core of `TOTP`.
///
/// The code is HMAC-SHA1 of the 8-byte big-endian counter, reduced by dynamic truncation
/// (RFC 4226 §5.3) to a 31-bit number and then to `digits` decimal digits, left-padded with
/// zeros.
public enum HOTP {
    /// The fewest digits RFC 4226 §5.3 allows.
    public static let minimumDigits = 6
    /// The most digits a 31-bit truncated value can fill meaningfully.
    public static let maximumDigits = 9

    /// Returns the `digits`-digit code for `counter` under `secret` (RFC 4226 §5.3).
    public static func code(secret: [UInt8], counter: UInt64, digits: Int = 6) -> String {
        precondition((minimumDigits...maximumDigits).contains(digits), "HOTP: \(digits) digits out of range")
        let message = (0..<8).map { UInt8(truncatingIfNeeded: counter >> UInt64(56 - 8 * $0)) }
        let mac = HMACSHA1.authenticationCode(key: secret, message: message)
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = UInt32(mac[offset] & 0x7F) << 24 | UInt32(mac[offset + 1]) << 16
            | UInt32(mac[offset + 2]) << 8 | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }
}
