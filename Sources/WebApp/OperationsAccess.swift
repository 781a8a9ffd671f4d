import HTTPCore
import Security

/// Who may read `/metrics`: a client on this machine (loopback), or anyone presenting the
/// configured bearer token.
///
/// The client is the TCP peer (`HTTPRequest.remoteAddress`), except behind the one configured
/// reverse proxy: its connections come from its own address (often loopback itself), so for them
/// the client is the last address of `X-Forwarded-For`, the one that proxy appended
/// (nginx `$proxy_add_x_forwarded_for`; earlier entries are whatever the client sent and prove
/// nothing). The proxy must set the header on every request it forwards (the shipped nginx
/// configuration does): a connection from the proxy's address without it is taken for a direct
/// one from that machine, so a local Prometheus can still scrape the server next to a local
/// nginx. A request that carries `X-Forwarded-For` or `Forwarded` (RFC 7239) from any other
/// peer went through a proxy we do not trust, so its client is unknown and it is never taken
/// for loopback: an nginx on the same host without `--trusted-proxy` does not open the metrics
/// to the internet. The token is compared in constant time (after SHA-256, so lengths do not
/// leak either); it travels as `Authorization: Bearer` (RFC 6750 §2.1).
struct OperationsAccess: Sendable {
    /// What a request to `/metrics` may see.
    enum Decision: Sendable, Equatable {
        case allowed
        /// A token is configured and the client did not present it (401 with a challenge).
        case unauthorized
        /// No token is configured and the client is not on loopback (403).
        case forbidden
    }

    /// The configured bearer token, if any.
    let token: String?
    /// The trusted proxy's address in canonical form, if any.
    let trustedProxy: String?

    func decide(_ request: HTTPRequest) -> Decision {
        if let client = clientAddress(request), Self.isLoopback(client) { return .allowed }
        guard let token else { return .forbidden }
        guard let presented = Self.bearerToken(request.headers) else { return .unauthorized }
        return constantTimeEquals(SHA256.hash(presented.utf8), SHA256.hash(token.utf8)) ? .allowed : .unauthorized
    }

    /// The address of the client as far as it can be known, canonical; nil when unknown.
    func clientAddress(_ request: HTTPRequest) -> String? {
        guard let peer = request.remoteAddress.map(Self.canonicalAddress) else { return nil }
        let forwarded = request.headers.listElements(for: "X-Forwarded-For")
        if let trustedProxy, peer == trustedProxy, let client = forwarded.last {
            return Self.canonicalAddress(client)
        }
        return forwarded.isEmpty && !request.headers.contains("Forwarded") ? peer : nil
    }

    // MARK: Addresses

    /// An address as the server prints peers: lower case, without brackets, and an IPv4 address
    /// mapped into IPv6 (`::ffff:127.0.0.1`, RFC 4291 §2.5.5.2) as plain IPv4. IPv6 addresses
    /// are otherwise compared as text, so a configured one must be in the canonical form of
    /// RFC 5952 (what `inet_ntop` and `ss` print).
    static func canonicalAddress(_ text: String) -> String {
        var address = text.trimmingWhitespace().lowercased()
        if address.hasPrefix("["), address.hasSuffix("]") { address = String(address.dropFirst().dropLast()) }
        let mapped = "::ffff:"
        if address.hasPrefix(mapped), ipv4Octets(String(address.dropFirst(mapped.count))) != nil {
            address = String(address.dropFirst(mapped.count))
        }
        return address
    }

    /// Whether a canonical address is loopback: 127.0.0.0/8 (RFC 1122 §3.2.1.3) or `::1` (RFC 4291 §2.5.3).
    static func isLoopback(_ address: String) -> Bool {
        address == "::1" || ipv4Octets(address)?.first == 127
    }

    /// Whether text names an IP address literally (dotted IPv4, or IPv6 hex groups), for checking
    /// `--trusted-proxy`; host names are refused because they would be resolved by nobody.
    static func isNumericAddress(_ text: String) -> Bool {
        let address = canonicalAddress(text)
        if ipv4Octets(address) != nil { return true }
        let groups = address.split(separator: ":", omittingEmptySubsequences: false)
        return address.contains(":") && groups.count <= 8
            && groups.allSatisfy { $0.count <= 4 && $0.allSatisfy(\.isHexDigit) }
    }

    /// The four octets of a dotted-decimal IPv4 address, or nil.
    private static func ipv4Octets(_ text: String) -> [Int]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let octets = parts.compactMap { part in
            (1...3).contains(part.count) && part.allSatisfy({ $0.isASCII && $0.isNumber }) ? Int(part).flatMap { (0...255).contains($0) ? $0 : nil } : nil
        }
        return octets.count == 4 ? octets : nil
    }

    /// The credential of `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 9110 §11.1).
    private static func bearerToken(_ headers: HTTPHeaders) -> String? {
        guard let value = headers["Authorization"] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingWhitespace()
        return token.isEmpty ? nil : token
    }
}

private extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace, RFC 9110 §5.6.3).
    func trimmingWhitespace() -> String {
        let isWhitespace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isWhitespace($0) }), let last = lastIndex(where: { !isWhitespace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
