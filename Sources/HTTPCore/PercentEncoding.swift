/// Percent-decoding of URI components (RFC 3986 §2.1), shared by forms and route parameters.
enum PercentEncoding {
    /// How to treat a `%` not followed by two hex digits.
    enum Malformed {
        /// Keep the `%` and what follows as literal bytes (lenient, for form data).
        case keepLiteral
        /// Fail the whole decode (strict, for paths).
        case reject
    }

    /// Decodes `%XX` once; with `plusAsSpace`, `+` becomes a space (`application/x-www-form-urlencoded`).
    static func decode(_ bytes: some Collection<UInt8>, plusAsSpace: Bool, malformed: Malformed) -> [UInt8]? {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == HTTPSyntax.percent {
                if index + 2 < input.count,
                   let high = HTTPSyntax.hexValue(input[index + 1]), let low = HTTPSyntax.hexValue(input[index + 2]) {
                    output.append(UInt8(high << 4 | low))
                    index += 3
                    continue
                }
                if malformed == .reject { return nil }
                output.append(byte)
            } else if plusAsSpace && byte == UInt8(ascii: "+") {
                output.append(HTTPSyntax.space)
            } else {
                output.append(byte)
            }
            index += 1
        }
        return output
    }
}
