/// HTML escaping of text for element content and quoted attribute values.
///
/// Escaping `& < > " '` is enough because the load-time context check (see `HTMLContext`)
/// only lets a value appear in element text or inside a quoted attribute value, never in
/// `<script>`/`<style>`, unquoted attributes, event handlers or tag names. In text, `<` and
/// `&` are the only characters that start markup or a character reference; in a quoted
/// value, only the quote ends it and `&` starts a reference ("HTML Living Standard"
/// §13.2.5, tokenization). `>` is escaped too for old parsers, and both quotes so either
/// quoting style is safe (OWASP XSS Prevention Cheat Sheet, rule 1 and 2).
enum HTMLEscaping {
    /// Returns `text` with `& < > " '` replaced by character references.
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return text
        }
        var output = ""
        output.reserveCapacity(text.utf8.count + 16)
        append(text, to: &output)
        return output
    }

    /// Appends `text` escaped to `output`.
    static func append(_ text: String, to output: inout String) {
        var start = text.startIndex
        for index in text.unicodeScalars.indices {
            let replacement: String
            switch text.unicodeScalars[index] {
            case "&": replacement = "&amp;"
            case "<": replacement = "&lt;"
            case ">": replacement = "&gt;"
            case "\"": replacement = "&quot;"
            case "'": replacement = "&#39;"
            default: continue
            }
            output.unicodeScalars.append(contentsOf: text.unicodeScalars[start..<index])
            output += replacement
            start = text.unicodeScalars.index(after: index)
        }
        output.unicodeScalars.append(contentsOf: text.unicodeScalars[start...])
    }
}
