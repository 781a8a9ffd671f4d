/// Base32 with the RFC 4648 §6 alphabet (`A–Z`, `2–7`), as used for TOTP shared secrets.
///
/// Authenticator apps expect the secret in the `otpauth://` URI without padding (Key Uri
/// Format), while RFC 4648 pads to a multiple of eight characters; `encode` does either.
/// `decode` accepts what people type from an enrolment screen: upper or lower case, with or
/// without correct padding, but rejects other characters, impossible lengths, and non-zero
/// unused trailing bits (RFC 4648 §3.5), so one secret has one canonical spelling.
public enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    private static let decodeTable: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (index, character) in alphabet.enumerated() {
            table[Int(character)] = Int8(index)
            if character >= UInt8(ascii: "A") && character <= UInt8(ascii: "Z") {
                table[Int(character + 32)] = Int8(index)
            }
        }
        return table
    }()

    /// The lengths modulo 8 that unpadded output can have (1, 3 and 6 leave whole bytes unfinished).
    private static let validRemainders: Set<Int> = [0, 2, 4, 5, 7]

    /// Returns the base32 text of `bytes`, padded with `=` to a multiple of 8 when `padding`.
    public static func encode(_ bytes: some Collection<UInt8>, padding: Bool = true) -> String {
        var output = [UInt8]()
        output.reserveCapacity((bytes.count + 4) / 5 * 8)
        var accumulator: UInt32 = 0
        var bitCount = 0
        for byte in bytes {
            accumulator = accumulator << 8 | UInt32(byte)
            bitCount += 8
            while bitCount >= 5 {
                bitCount -= 5
                output.append(alphabet[Int((accumulator >> UInt32(bitCount)) & 0x1F)])
            }
            accumulator &= (1 << UInt32(bitCount)) - 1
        }
        if bitCount > 0 {
            output.append(alphabet[Int((accumulator << UInt32(5 - bitCount)) & 0x1F)])
        }
        if padding {
            while output.count % 8 != 0 { output.append(UInt8(ascii: "=")) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes base32 text; returns nil for a character outside the alphabet, padding that is
    /// not exactly what `encode` would write, an impossible length, or non-zero trailing bits.
    public static func decode(_ text: String) -> [UInt8]? {
        var input = Array(text.utf8)
        if let firstPad = input.firstIndex(of: UInt8(ascii: "=")) {
            guard input.count % 8 == 0, input[firstPad...].allSatisfy({ $0 == UInt8(ascii: "=") }) else { return nil }
            input.removeSubrange(firstPad...)
            guard input.count % 8 != 0 else { return nil }
        }
        guard validRemainders.contains(input.count % 8) else { return nil }
        var output = [UInt8]()
        output.reserveCapacity(input.count * 5 / 8)
        var accumulator: UInt32 = 0
        var bitCount = 0
        for character in input {
            let value = decodeTable[Int(character)]
            guard value >= 0 else { return nil }
            accumulator = accumulator << 5 | UInt32(value)
            bitCount += 5
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bitCount)))
                accumulator &= (1 << UInt32(bitCount)) - 1
            }
        }
        guard accumulator == 0 else { return nil }
        return output
    }
}
