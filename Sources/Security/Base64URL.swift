/// Base64url without padding (RFC 4648 §5, as used by RFC 7515 Appendix C).
///
/// Decoding is strict, so one token has exactly one spelling: only the 64 URL-safe characters,
/// no padding, no whitespace, no length that leaves a single dangling character, and the unused
/// low bits of the last character must be zero (RFC 4648 §3.5, canonical encoding).
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    private static let decodeTable: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (index, character) in alphabet.enumerated() {
            table[Int(character)] = Int8(index)
        }
        return table
    }()

    /// Returns the unpadded base64url text of `bytes`.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        var output = [UInt8]()
        output.reserveCapacity((input.count * 4 + 2) / 3)
        var index = 0
        while index < input.count {
            let remaining = input.count - index
            let b0 = UInt32(input[index])
            let b1 = remaining > 1 ? UInt32(input[index + 1]) : 0
            let b2 = remaining > 2 ? UInt32(input[index + 2]) : 0
            let group = b0 << 16 | b1 << 8 | b2
            let characterCount = min(remaining, 3) + 1
            for position in 0..<characterCount {
                let sextet = (group >> UInt32(18 - 6 * position)) & 0x3F
                output.append(alphabet[Int(sextet)])
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes unpadded base64url text, throwing on any character, length or trailing-bit
    /// that a canonical encoder would not produce.
    public static func decode(_ text: String) throws(SecurityError) -> [UInt8] {
        let input = Array(text.utf8)
        guard input.count % 4 != 1 else { throw .invalidBase64URL(offset: input.count - 1) }
        var output = [UInt8]()
        output.reserveCapacity(input.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bitCount = 0
        for (offset, character) in input.enumerated() {
            let value = decodeTable[Int(character)]
            guard value >= 0 else { throw .invalidBase64URL(offset: offset) }
            accumulator = accumulator << 6 | UInt32(value)
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bitCount)))
                accumulator &= (1 << UInt32(bitCount)) - 1
            }
        }
        guard accumulator == 0 else { throw .invalidBase64URL(offset: input.count - 1) }
        return output
    }
}
