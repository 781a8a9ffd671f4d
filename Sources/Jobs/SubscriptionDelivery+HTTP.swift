import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client for rest-hook notifications: one POST per connection
/// (`Connection: close`, RFC 9112 §9.6), plain TCP only, every socket operation bounded by a
/// timeout (`SO_SNDTIMEO` also bounds `connect` on Linux, `SO_RCVTIMEO` every read), and the
/// wait for the status line by the same timeout in all, so a subscriber that answers a byte
/// at a time cannot hold the pass.
struct HookClient: Sendable {
    /// Why a POST did not get an answer, or the answer was not 2xx.
    enum Failure: Error, Sendable, CustomStringConvertible {
        /// The endpoint is not an `http://` URL (https is not supported: a dead letter).
        case unsupportedEndpoint(String)
        /// Resolving, connecting, sending or reading failed or timed out.
        case connection(String)
        /// The subscriber answered with this status.
        case status(Int)

        var description: String {
            switch self {
            case .unsupportedEndpoint(let url): "unsupported endpoint (only http:// is supported, https is not): \(url)"
            case .connection(let detail): "connection: \(detail)"
            case .status(let code): "HTTP status \(code)"
            }
        }

        /// Worth retrying: connection problems, timeouts, 5xx, 408 and 429.
        var isTransient: Bool {
            switch self {
            case .unsupportedEndpoint: false
            case .connection: true
            case .status(let code): code >= 500 || code == 408 || code == 429
            }
        }
    }

    /// The bound on connecting, on each send, and on the whole wait for the answer. Default 5 seconds.
    var timeout: Duration = .seconds(5)
    /// The most response bytes read (only the status line matters). Default 64 KiB.
    var maximumResponseBytes = 65_536

    /// The parts of an `http://host[:port]/path` URL.
    struct Target: Equatable {
        var host: String
        var port: Int
        var path: String

        init(_ url: String) throws(Failure) {
            guard url.lowercased().hasPrefix("http://") else { throw .unsupportedEndpoint(url) }
            let rest = url.dropFirst(7)
            let authority = rest.prefix { $0 != "/" && $0 != "?" }
            let path = String(rest.dropFirst(authority.count))
            var host = String(authority)
            var port = 80
            if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
                guard let parsed = Int(authority[authority.index(after: colon)...]), (1...65_535).contains(parsed) else {
                    throw .unsupportedEndpoint(url)
                }
                port = parsed
                host = String(authority[..<colon])
            }
            host = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            guard !host.isEmpty else { throw .unsupportedEndpoint(url) }
            self.host = host
            self.port = port
            self.path = path.isEmpty ? "/" : (path.hasPrefix("?") ? "/" + path : path)
        }
    }

    /// POSTs `body` with `headers` and returns the status code when it is 2xx.
    func post(_ url: String, body: [UInt8], headers: [(String, String)]) throws(Failure) -> Int {
        let target = try Target(url)
        let fd = try connect(target)
        defer { close(fd) }
        let host = target.host.contains(":") ? "[\(target.host)]" : target.host
        var head = "POST \(target.path) HTTP/1.1\r\nHost: \(host):\(target.port)\r\nConnection: close\r\n"
        head += "Content-Type: application/fhir+json\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try send(fd, Array((head + "\r\n").utf8) + body)
        let code = try readStatus(fd)
        guard (200..<300).contains(code) else { throw .status(code) }
        return code
    }

    private func connect(_ target: Target) throws(Failure) -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(target.host, String(target.port), &hints, &list) == 0, let first = list else {
            throw .connection("cannot resolve \(target.host)")
        }
        defer { freeaddrinfo(list) }
        var lastError: Int32 = 0
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let address = cursor {
            let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            if fd >= 0 {
                let micro = max(timeout.components.seconds * 1_000_000 + timeout.components.attoseconds / 1_000_000_000_000, 1_000)
                var limit = timeval(tv_sec: Int(micro / 1_000_000), tv_usec: Int(micro % 1_000_000))
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
                if Glibc.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 { return fd }
                lastError = errno
                close(fd)
            }
            cursor = address.pointee.ai_next
        }
        throw .connection("connect to \(target.host):\(target.port): \(String(cString: strerror(lastError)))")
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { throw .connection("send: \(String(cString: strerror(errno)))") }
            offset += sent
        }
    }

    /// Reads until the status line is complete (RFC 9112 §4: `HTTP/1.1 SP 3DIGIT SP reason`).
    private func readStatus(_ fd: Int32) throws(Failure) -> Int {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while !received.contains(0x0A) {
            guard ContinuousClock.now < deadline else { throw .connection("timed out waiting for the status line") }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { throw .connection(errno == EAGAIN || errno == EWOULDBLOCK ? "timed out waiting for an answer" : "recv: \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            received += buffer[..<count]
            guard received.count <= maximumResponseBytes else { throw .connection("status line too long") }
        }
        let line = String(decoding: received.prefix { $0 != 0x0D && $0 != 0x0A }, as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let code = Int(parts[1]) else {
            throw .connection("not an HTTP answer: \(line.prefix(80))")
        }
        return code
    }
}
