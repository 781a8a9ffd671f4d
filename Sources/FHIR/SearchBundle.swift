import JSON

/// Builds a `searchset` Bundle (FHIR R4 bundle.html; search.html §3.1.1.2 "Paging").
///
/// `total` is what the caller counted: the integrator counts after access filtering, so the
/// total never reveals records the caller may not see. Links: `self` repeats the parameters
/// that were used (ignored ones left out, R4 search §3.1.1.3) and the current cursor; `next`
/// and `previous` carry the keyset cursors the caller computed from the page's last and first
/// rows. Each entry has its `fullUrl` (`<base>/<type>/<id>`) and `search.mode`.
public enum SearchBundle {
    /// The Bundle for one page: `matches` (mode `match`) then `includes` (mode `include`).
    /// `baseURL` is the FHIR base without a trailing slash. `total` nil leaves it out.
    public static func make(request: SearchRequest, baseURL: String, total: Int?, matches: [JSON], includes: [JSON] = [],
                            next: PageCursor?, previous: PageCursor?) -> JSON {
        var links: [JSON] = [link("self", url(request, baseURL: baseURL, cursor: request.cursor))]
        if let next { links.append(link("next", url(request, baseURL: baseURL, cursor: next))) }
        if let previous { links.append(link("previous", url(request, baseURL: baseURL, cursor: previous))) }
        let entries = matches.map { entry($0, mode: "match", baseURL: baseURL) }
            + includes.map { entry($0, mode: "include", baseURL: baseURL) }
        var bundle = JSONObject()
        bundle["resourceType"] = "Bundle"
        bundle["type"] = "searchset"
        bundle["total"] = total.map { .number(JSONNumber($0)) }
        bundle["link"] = .array(links)
        if !entries.isEmpty { bundle["entry"] = .array(entries) }
        return .object(bundle)
    }

    /// The link URL: `<base>/<type>?<used parameters>[&_page_token=<cursor>]`.
    static func url(_ request: SearchRequest, baseURL: String, cursor: PageCursor?) -> String {
        var items = request.linkQuery
        if let cursor { items.append(QueryItem(name: PageCursor.parameterName, value: cursor.token)) }
        let query = items.map { "\(encode($0.name))=\(encode($0.value))" }.joined(separator: "&")
        let path = "\(baseURL)/\(request.resourceType.rawValue)"
        return query.isEmpty ? path : "\(path)?\(query)"
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters and `: / @ ,`, which
    /// are safe in a query and keep FHIR values readable (`|` is encoded: RFC 3986 §3.4 does
    /// not allow it).
    static func encode(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
                 UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "@"), UInt8(ascii: ","):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                output += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return output
    }

    private static func link(_ relation: String, _ url: String) -> JSON {
        ["relation": .string(relation), "url": .string(url)]
    }

    private static func entry(_ resource: JSON, mode: String, baseURL: String) -> JSON {
        var object = JSONObject()
        if let type = resource["resourceType"]?.stringValue, let id = resource["id"]?.stringValue {
            object["fullUrl"] = .string("\(baseURL)/\(type)/\(id)")
        }
        object["resource"] = resource
        object["search"] = ["mode": .string(mode)]
        return .object(object)
    }
}
