import Foundation
import Glibc
import Synchronization

/// A real local HTTP receiver for the push tests: a listening socket on 127.0.0.1 with an
/// accept loop on a thread of its own, answering every request 200 (or never, to play a hung
/// subscriber) and keeping what it got.
///
/// `@unchecked Sendable`: `fd` and `port` are set in `init` and never changed; `received` is
/// behind a `Mutex`.
final class SubscriptionDeliveryReceiver: @unchecked Sendable {
    /// One request as received: the path, the headers (lower-cased names) and the body.
    struct Request: Sendable {
        let path: String
        let headers: [String: String]
        let body: [UInt8]
    }

    let port: Int
    private let fd: Int32
    /// false: reads each request and never answers (a hung subscriber).
    private let answering: Bool
    private let received = Mutex<[Request]>([])

    init(answering: Bool = true) throws {
        self.answering = answering
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Stops listening: the accept loop ends, and connecting to `port` is refused from now on.
    /// (The loop holds the receiver, so it must be stopped explicitly.)
    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    /// Everything received so far, in order.
    var requests: [Request] { received.withLock { $0 } }

    /// The URL of `path` on this receiver.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    private func acceptLoop() {
        while true {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return }
            if let request = read(client) { received.withLock { $0.append(request) } }
            guard answering else { continue }
            let answer = Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
            _ = answer.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(client)
        }
    }

    private func read(_ client: Int32) -> Request? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        let separator: [UInt8] = [13, 10, 13, 10]
        while true {
            if let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) {
                let head = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
                var headers: [String: String] = [:]
                for line in head.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                let length = Int(headers["content-length"] ?? "0") ?? 0
                if bytes.count - end - 4 >= length {
                    let path = head.first?.split(separator: " ").dropFirst().first.map(String.init) ?? ""
                    return Request(path: path, headers: headers, body: Array(bytes[(end + 4)..<(end + 4 + length)]))
                }
            }
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            bytes += buffer[..<count]
        }
    }
}
