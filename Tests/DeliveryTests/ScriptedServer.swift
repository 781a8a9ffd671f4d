import Foundation
import Glibc

/// An SMTP server that answers one connection from a script, for replies a real server will
/// not give on demand (a 421 greeting, a 554 after the message, garbage, a hang-up).
///
/// It sends `replies[0]` as the greeting, then one reply per command (per message after
/// `354`), records what it received, and when the script runs out reads one more line and
/// hangs up, or, told not to, keeps silent until the client hangs up.
/// `@unchecked Sendable`: `received` is only touched under `lock`; the rest is immutable.
final class ScriptedServer: @unchecked Sendable {
    private let socket: LocalSocket
    private let lock = NSLock()
    private var lines: [String] = []

    var port: Int { socket.port }

    /// What the client sent: each command line, and each message as one entry.
    var received: [String] {
        lock.withLock { lines }
    }

    init(replies: [String], thenHangUp hangsUp: Bool = true) throws {
        socket = try LocalSocket(listening: true)
        let listener = socket.fd
        Thread { [self] in serve(listener, replies: replies, hangsUp: hangsUp) }.start()
    }

    private func serve(_ listener: Int32, replies: [String], hangsUp: Bool) {
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return }
        defer { close(connection) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var pending: [UInt8] = []
        var inData = false
        for (index, reply) in replies.enumerated() {
            if index > 0 {
                guard let input = read(connection, &pending, until: inData ? "\r\n.\r\n" : "\r\n") else { return }
                lock.withLock { lines.append(input) }
            }
            inData = reply.hasPrefix("354")
            let bytes = Array((reply + "\r\n").utf8)
            guard bytes.withUnsafeBytes({ send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else { return }
        }
        if hangsUp {
            _ = read(connection, &pending, until: "\r\n").map { line in lock.withLock { lines.append(line) } }
        } else {
            waitForHangUp(connection)
        }
    }

    /// Reads and ignores everything until the client hangs up (or the 10 s receive timeout passes).
    private func waitForHangUp(_ connection: Int32) {
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while chunk.withUnsafeMutableBytes({ recv(connection, $0.baseAddress, $0.count, 0) }) > 0 {}
    }

    /// The text before the next `terminator`, or nil when the client hung up first.
    private func read(_ connection: Int32, _ pending: inout [UInt8], until terminator: String) -> String? {
        let end = Array(terminator.utf8)
        while true {
            if let range = pending.firstRange(of: end) {
                let text = String(decoding: pending[..<range.lowerBound], as: UTF8.self)
                pending.removeSubrange(..<range.upperBound)
                return text
            }
            var chunk = [UInt8](repeating: 0, count: 4_096)
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            pending += chunk[..<count]
        }
    }
}
