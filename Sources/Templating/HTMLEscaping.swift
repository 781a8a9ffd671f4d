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
        guard text.utf8.contains(where: needsEscaping) else { return text }
        var output = ""
        output.reserveCapacity(text.utf8.count + 16)
        append(text, to: &output)
        return output
    }

    /// Appends `text` escaped to `output`. The five characters are ASCII, so the work is done
    /// on UTF-8 bytes: text without them (most of it) is appended as it is, and the rest is
    /// rebuilt byte by byte without walking Unicode scalars.
    static func append(_ text: String, to output: inout String) {
        guard text.utf8.contains(where: needsEscaping) else {
            output += text
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case 0x26: bytes += "&amp;".utf8
            case 0x3C: bytes += "&lt;".utf8
            case 0x3E: bytes += "&gt;".utf8
            case 0x22: bytes += "&quot;".utf8
            case 0x27: bytes += "&#39;".utf8
            default: bytes.append(byte)
            }
        }
        output += String(decoding: bytes, as: UTF8.self)
    }

    private static func needsEscaping(_ byte: UInt8) -> Bool {
        byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27
    }
}
