import Foundation
import JSON

/// A keyset page cursor: the sort key and id of the row a page continues from, and the
/// direction, as an opaque base64url token (RFC 4648 §5, no padding) in the `_page_token`
/// parameter (the name Google Cloud Healthcare's FHIR API uses for the same purpose).
///
/// Keyset, not offset: a row stored between two page requests shifts no rows between pages,
/// so nothing is shown twice or skipped. The caller defines the order (e.g. `authored DESC,
/// resource_id DESC`); `next` continues after (sortKey, id) in that order, `previous` returns
/// the rows before it (query in reverse order, then reverse the page).
public struct PageCursor: Sendable, Hashable {
    /// The query parameter that carries the token.
    public static let parameterName = "_page_token"

    /// Which way a page reads from the boundary row.
    public enum Direction: String, Sendable, Hashable {
        case next = "n"
        case previous = "p"
    }

    /// `next`: rows after the boundary; `previous`: rows before it.
    public let direction: Direction
    /// The boundary row's sort key as text (e.g. its stored `authored`).
    public let sortKey: String
    /// The boundary row's resource id, breaking ties between equal sort keys.
    public let id: String

    public init(direction: Direction, sortKey: String, id: String) {
        self.direction = direction
        self.sortKey = sortKey
        self.id = id
    }

    /// The opaque token.
    public var token: String {
        let json: JSON = [.string(direction.rawValue), .string(sortKey), .string(id)]
        return Data(json.serializedBytes()).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Reads a token back; nil when it is not one `token` produced.
    public init?(token: String) {
        guard !token.isEmpty, token.utf8.allSatisfy({ byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"): true
            default: false
            }
        }) else { return nil }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let json = try? JSON.parse(Array(data)),
              let parts = json.arrayValue, parts.count == 3,
              let direction = parts[0].stringValue.flatMap(Direction.init(rawValue:)),
              let sortKey = parts[1].stringValue, let id = parts[2].stringValue else { return nil }
        self.init(direction: direction, sortKey: sortKey, id: id)
    }

    /// The cursors of the `next` and `previous` links of a page.
    ///
    /// `page` is the page's rows in display order (sort key and id); `hasMore` says whether the
    /// query found a row beyond the page in the direction it read (fetch `_count + 1` rows);
    /// `current` is the request's cursor. Reading forward, `next` exists when there is more and
    /// `previous` whenever this is not the first page; reading backward (a `previous` cursor),
    /// the other way round.
    public static func links(page: [(sortKey: String, id: String)], hasMore: Bool,
                             current: PageCursor?) -> (next: PageCursor?, previous: PageCursor?) {
        guard let first = page.first, let last = page.last else { return (nil, nil) }
        let next = PageCursor(direction: .next, sortKey: last.sortKey, id: last.id)
        let previous = PageCursor(direction: .previous, sortKey: first.sortKey, id: first.id)
        if current?.direction == .previous {
            return (next, hasMore ? previous : nil)
        }
        return (hasMore ? next : nil, current == nil ? nil : previous)
    }
}
