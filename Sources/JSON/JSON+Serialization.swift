// MARK: - Serialisation

extension JSON {
    /// The JSON text: numbers by their literal, object keys in order, strings escaped per
    /// RFC 8259 §7 (quote, backslash and control characters; everything else as UTF-8).
    ///
    /// `pretty` indents by two spaces and puts one member per line, for files people read.
    public func serialized(pretty: Bool = false) -> String {
        var output = ""
        write(to: &output, pretty: pretty, indent: 0)
        return output
    }

    /// The JSON text as UTF-8 bytes (see `serialized(pretty:)`).
    public func serializedBytes(pretty: Bool = false) -> [UInt8] {
        Array(serialized(pretty: pretty).utf8)
    }

    private func write(to output: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let number): output += number.literal
        case .string(let string): JSON.writeEscaped(string, to: &output)
        case .array(let elements):
            writeContainer(open: "[", close: "]", count: elements.count, to: &output, pretty: pretty, indent: indent) { index, output in
                elements[index].write(to: &output, pretty: pretty, indent: indent + 1)
            }
        case .object(let object):
            let members = Array(object)
            writeContainer(open: "{", close: "}", count: members.count, to: &output, pretty: pretty, indent: indent) { index, output in
                JSON.writeEscaped(members[index].key, to: &output)
                output += pretty ? ": " : ":"
                members[index].value.write(to: &output, pretty: pretty, indent: indent + 1)
            }
        }
    }

    private func writeContainer(
        open: String, close: String, count: Int, to output: inout String, pretty: Bool, indent: Int,
        element: (Int, inout String) -> Void
    ) {
        output += open
        guard count > 0 else {
            output += close
            return
        }
        let innerIndent = pretty ? "\n" + String(repeating: "  ", count: indent + 1) : ""
        for index in 0..<count {
            if index > 0 { output += "," }
            output += innerIndent
            element(index, &output)
        }
        if pretty { output += "\n" + String(repeating: "  ", count: indent) }
        output += close
    }

    private static func writeEscaped(_ string: String, to output: inout String) {
        output += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\u{00}"..."\u{1F}", "\u{2028}", "\u{2029}":
                let hex = String(scalar.value, radix: 16, uppercase: true)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
