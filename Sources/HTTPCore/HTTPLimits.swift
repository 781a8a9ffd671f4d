/// Size limits the parser enforces, so memory stays bounded under hostile input.
///
/// Defaults follow common server practice and RFC 9112 §3 ("at least 8000 octets" of request line).
public struct HTTPLimits: Sendable, Equatable {
    /// Longest request line in bytes, excluding its line ending; longer → 414 (RFC 9112 §3). Default 8 KiB.
    public var maxRequestLineBytes: Int
    /// Longest single field line in bytes; longer → 431 (RFC 6585 §5). Default 8 KiB.
    public var maxHeaderLineBytes: Int
    /// Total bytes of all field lines of one request; more → 431. Default 16 KiB.
    public var maxHeaderBytes: Int
    /// Most field lines in one request; more → 431. Default 100.
    public var maxHeaderCount: Int
    /// Largest decoded body in bytes; larger → 413 (RFC 9110 §15.5.14). Default 1 MiB.
    public var maxBodyBytes: Int
    /// Longest chunk extension (everything after the chunk size on its line); longer → 400 (RFC 9112 §7.1.1). Default 256 B.
    public var maxChunkExtensionBytes: Int
    /// Total bytes of the (discarded) trailer section of a chunked body; more → 431 (RFC 9112 §7.1.2). Default 4 KiB.
    public var maxTrailerBytes: Int

    /// Limits with the documented defaults, each overridable.
    public init(maxRequestLineBytes: Int = 8 * 1024, maxHeaderLineBytes: Int = 8 * 1024,
                maxHeaderBytes: Int = 16 * 1024, maxHeaderCount: Int = 100,
                maxBodyBytes: Int = 1024 * 1024, maxChunkExtensionBytes: Int = 256,
                maxTrailerBytes: Int = 4 * 1024) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderLineBytes = maxHeaderLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.maxChunkExtensionBytes = maxChunkExtensionBytes
        self.maxTrailerBytes = maxTrailerBytes
    }
}
