import Foundation
import Glibc
import Synchronization

/// A real local HTTP receiver for the push tests: a listening socket on 127.0.0.1 with an
/// accept loop on a thread of its own that keeps what it got and answers as told: at once
/// with a status, never (a hung subscriber, which the client's timeout ends), or only once
/// the test calls `release()` (a subscriber hanging for exactly as long as the test wants).
///
/// `@unchecked Sendable`: `fd`, `port` and `behaviour` are set in `init` and never changed;
/// everything else is behind the `Mutex`.
final class SubscriptionDeliveryReceiver: @unchecked Sendable {
    /// One request as received: the path, the headers (lower-cased names) and the body.
    struct Request: Sendable {
        let path: String
        let headers: [String: String]
        let body: [UInt8]
    }

    /// How the receiver answers.
    enum Behaviour: Sendable {
        /// At once, with this status.
        case answer(Int)
        /// Never (the connection stays open until the client gives up).
        case never
        /// 200 once `release()` has been called; connections received before wait for it.
        case holdUntilReleased
    }

    /// What the accept loop shares with the test.
    private struct State {
        var received: [Request] = []
        var held: [Int32] = []
        var released = false
    }

    let port: Int
    private let fd: Int32
    private let behaviour: Behaviour
    private let state = Mutex(State())

    init(_ behaviour: Behaviour = .answer(200)) throws {
        self.behaviour = behaviour
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
    /// (The loop holds the receiver, so it must be stopped explicitly.) The loop closes the
    /// socket itself when it ends, so its number cannot be reused by another test's socket
    /// while the loop might still call `accept` on it.
    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Answers the held connections 200, and every later one at once.
    func release() {
        let held = state.withLock { state in
            state.released = true
            defer { state.held = [] }
            return state.held
        }
        held.forEach(Self.answer(200))
    }

    /// Everything received so far, in order.
    var requests: [Request] { state.withLock { $0.received } }

    /// Waits until `count` requests have arrived; false if they have not after `patience`
    /// (a bound against a test hanging for ever, not a measurement).
    func waitFor(_ count: Int, patience: Duration = .seconds(120)) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: patience)
        while requests.count < count {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// The URL of `path` on this receiver.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    private func acceptLoop() {
        while true {
            let client = accept(fd, nil, nil)
            guard client >= 0 else {
                close(fd)
                return
            }
            let request = read(client)
            let answerNow = state.withLock { state -> Bool in
                if let request { state.received.append(request) }
                switch behaviour {
                case .answer: return true
                case .never: return false
                case .holdUntilReleased:
                    if !state.released { state.held.append(client) }
                    return state.released
                }
            }
            if answerNow {
                if case .answer(let code) = behaviour { Self.answer(code)(client) } else { Self.answer(200)(client) }
            }
        }
    }

    /// Sends a bodiless answer with `code` and closes the connection.
    private static func answer(_ code: Int) -> (Int32) -> Void {
        { client in
            let answer = Array("HTTP/1.1 \(code) Status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
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
