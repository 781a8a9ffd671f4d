import HTTPCore
import Synchronization

/// What all event loops of one server share: configuration, responder, listener and connection count.
final class ServerContext: Sendable {
    let configuration: HTTPServerConfiguration
    let responder: any HTTPResponder
    let listener: ListeningSocket
    private let openConnections = Mutex(0)
    private let listenerUsers: Mutex<Int>

    init(configuration: HTTPServerConfiguration, responder: any HTTPResponder, listener: ListeningSocket) {
        self.configuration = configuration
        self.responder = responder
        self.listener = listener
        listenerUsers = Mutex(configuration.eventLoopCount)
    }

    /// Counts a new connection if below ``HTTPServerConfiguration/maxConnections``.
    func reserveConnection() -> Bool {
        openConnections.withLock { count in
            guard count < configuration.maxConnections else { return false }
            count += 1
            return true
        }
    }

    /// Uncounts a closed connection.
    func connectionClosed() {
        openConnections.withLock { $0 -= 1 }
    }

    /// The number of open connections.
    var connectionCount: Int {
        openConnections.withLock { $0 }
    }

    /// A loop has removed the listener from its epoll; the last one closes it, so no loop can
    /// accept on a descriptor number that has been reused.
    func releaseListener() {
        let remaining = listenerUsers.withLock { users in
            users -= 1
            return users
        }
        if remaining == 0 { listener.close() }
    }
}
