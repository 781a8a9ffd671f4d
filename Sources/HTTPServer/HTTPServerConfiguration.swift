import Glibc
import HTTPCore

/// Everything the server needs to know, fixed at start (values with units and documented defaults).
public struct HTTPServerConfiguration: Sendable {
    /// Numeric IPv4 or IPv6 address to bind; default `127.0.0.1` (loopback: TLS ends at a reverse proxy).
    public var host: String
    /// TCP port; 0 asks the kernel for an ephemeral port (``HTTPServer/start()`` returns it). Default 8080.
    public var port: Int
    /// Event-loop threads, each with its own epoll; default the number of online cores.
    public var eventLoopCount: Int
    /// Most concurrent connections. Beyond it a new connection is accepted and closed at once, so the
    /// listen queue keeps moving and the kernel backlog never fills with dead clients. Default 1024.
    public var maxConnections: Int
    /// Parser limits (see ``HTTPLimits``).
    public var limits: HTTPLimits
    /// Time for a whole request head, from its first byte (RFC 9112 §9.5, slowloris). Default 10 s.
    public var headerTimeout: Duration
    /// Longest silence while a body is read. Default 30 s.
    public var bodyTimeout: Duration
    /// Time for a whole request body, from the end of its head, however steadily it trickles in (a client
    /// sending one byte every few seconds never trips ``bodyTimeout``); then 408 and close. Default 60 s.
    public var bodyTotalTimeout: Duration
    /// Longest idle time of a persistent connection between requests. Default 30 s.
    public var keepAliveTimeout: Duration
    /// Time to write one whole response before the connection is dropped. Default 30 s.
    public var writeTimeout: Duration
    /// Time a handler may run before the client gets 503 and the connection closes; the handler's
    /// task is cancelled. nil (default) = unlimited.
    public var handlerTimeout: Duration?
    /// Time in-flight requests get to finish after shutdown starts; then connections are force-closed. Default 10 s.
    public var shutdownGracePeriod: Duration
    /// Longest lingering close: after `shutdown(SHUT_WR)`, input is discarded this long (RFC 9112 §9.6). Default 2 s.
    public var lingerTimeout: Duration
    /// Most bytes discarded during a lingering close before closing anyway. Default 64 KiB.
    public var lingerMaxBytes: Int
    /// Pause of accepting after EMFILE/ENFILE (out of descriptors). Default 100 ms.
    public var acceptBackoff: Duration
    /// Bytes read from a socket at once; bounds pipelined read-ahead. Default 16 KiB.
    public var readChunkBytes: Int

    /// A configuration with the documented defaults.
    public init(host: String = "127.0.0.1", port: Int = 8080, eventLoopCount: Int = HTTPServerConfiguration.onlineCores,
                maxConnections: Int = 1024, limits: HTTPLimits = HTTPLimits(),
                headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(30),
                bodyTotalTimeout: Duration = .seconds(60),
                keepAliveTimeout: Duration = .seconds(30), writeTimeout: Duration = .seconds(30),
                handlerTimeout: Duration? = nil, shutdownGracePeriod: Duration = .seconds(10),
                lingerTimeout: Duration = .seconds(2), lingerMaxBytes: Int = 64 * 1024,
                acceptBackoff: Duration = .milliseconds(100), readChunkBytes: Int = 16 * 1024) {
        self.host = host
        self.port = port
        self.eventLoopCount = max(1, eventLoopCount)
        self.maxConnections = max(1, maxConnections)
        self.limits = limits
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.bodyTotalTimeout = bodyTotalTimeout
        self.keepAliveTimeout = keepAliveTimeout
        self.writeTimeout = writeTimeout
        self.handlerTimeout = handlerTimeout
        self.shutdownGracePeriod = shutdownGracePeriod
        self.lingerTimeout = lingerTimeout
        self.lingerMaxBytes = lingerMaxBytes
        self.acceptBackoff = acceptBackoff
        self.readChunkBytes = max(1, readChunkBytes)
    }

    /// The number of online processor cores (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1.
    public static var onlineCores: Int {
        max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }

    /// The per-connection deadlines for the state machine.
    var timeouts: HTTPConnectionStateMachine.Timeouts {
        .init(head: headerTimeout, body: bodyTimeout, bodyTotal: bodyTotalTimeout, keepAlive: keepAliveTimeout, write: writeTimeout, handler: handlerTimeout)
    }
}
