import Foundation
import HTTPCore
import Security

/// The files under `Public/`, read once at start and served from memory.
///
/// Serving only from a table built at start means no request can make the server open a path
/// of its choosing: a request names a key, and keys exist only for regular files whose real
/// path (symlinks resolved) lies under the folder (HTTP-CHECKLIST item 13). The request path is
/// still checked and refused with a clear status when it tries to escape, so such attempts
/// show up as 400s rather than as silent 404s.
public struct StaticAssets: Sendable {
    /// One file: its bytes, media type and a strong validator.
    struct Asset: Sendable {
        let bytes: [UInt8]
        let contentType: String
        /// A short content hash: the ETag value and the `v=` cache-busting parameter.
        let version: String
    }

    private let assets: [String: Asset]

    /// The URL prefix under which assets are served.
    public static let prefix = "/static/"

    /// Reads every regular file below `directory`.
    public static func load(directory: String) throws -> StaticAssets {
        let root = URL(fileURLWithPath: directory).resolvingSymlinksInPath().standardizedFileURL.path
        var assets: [String: Asset] = [:]
        guard let walker = FileManager.default.enumerator(atPath: root) else {
            throw StaticAssetsError.unreadableDirectory(directory)
        }
        while let relative = walker.nextObject() as? String {
            let full = URL(fileURLWithPath: root).appendingPathComponent(relative)
            let real = full.resolvingSymlinksInPath().standardizedFileURL.path
            var isDirectory: ObjCBool = false
            guard real.hasPrefix(root + "/"), FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory),
                  !isDirectory.boolValue, let data = FileManager.default.contents(atPath: real) else { continue }
            let bytes = [UInt8](data)
            let version = Hex.encode(SHA256.hash(bytes).prefix(8))
            assets[relative] = Asset(bytes: bytes, contentType: contentType(forExtension: full.pathExtension),
                                     version: version)
        }
        return StaticAssets(assets: assets)
    }

    /// The URL of an asset with its version, for pages to link: `/static/app.css?v=1a2b…`.
    /// Such a URL is cached for a year, because a changed file gets a new URL.
    public func url(_ relativePath: String) -> String {
        guard let asset = assets[relativePath] else { return Self.prefix + relativePath }
        return Self.prefix + relativePath + "?v=" + asset.version
    }

    /// Answers a GET or HEAD for a path below `/static/`.
    public func respond(to request: HTTPRequest) -> HTTPResponse {
        let raw = String(request.path.dropFirst(Self.prefix.count))
        guard let key = Self.safeKey(raw) else {
            return .text("Bad file path.\n", status: .badRequest)
        }
        guard let asset = assets[key] else {
            return .text("No such file.\n", status: .notFound)
        }
        let etag = "\"\(asset.version)\""
        let versioned = request.queryItems().contains { $0.name == "v" && $0.value == asset.version }
        let headers: HTTPHeaders = [
            "ETag": etag,
            "Cache-Control": versioned ? "public, max-age=31536000, immutable" : "no-cache",
            "X-Content-Type-Options": "nosniff",
        ]
        if let condition = request.headers["If-None-Match"], Self.matches(condition, etag: etag) {
            return HTTPResponse(status: .notModified, headers: headers, body: [])
        }
        var full = headers
        full.set("Content-Type", asset.contentType)
        return HTTPResponse(status: .ok, headers: full, body: asset.bytes)
    }

    /// Whether an `If-None-Match` list names this entity tag: `*`, or any tag equal under the
    /// weak comparison that RFC 9110 §13.1.2 prescribes for this header (`W/` is ignored).
    static func matches(_ condition: String, etag: String) -> Bool {
        condition.split(separator: ",").contains { candidate in
            let tag = candidate.trimmingCharacters(in: .whitespaces)
            return tag == "*" || (tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag) == etag
        }
    }

    /// The table key for a raw request path, or nil when the path tries anything but naming a
    /// file plainly: each segment is percent-decoded once, and a segment that is empty, `.`,
    /// `..`, or decodes to contain `/`, `\` or NUL is refused (RFC 3986 §5.2.4).
    static func safeKey(_ rawPath: String) -> String? {
        var segments: [String] = []
        for rawSegment in rawPath.split(separator: "/", omittingEmptySubsequences: false) {
            guard let segment = String(rawSegment).removingPercentEncoding,
                  !segment.isEmpty, segment != ".", segment != "..",
                  !segment.contains("/"), !segment.contains("\\"), !segment.contains("\0") else { return nil }
            segments.append(segment)
        }
        return segments.isEmpty ? nil : segments.joined(separator: "/")
    }

    private static func contentType(forExtension ext: String) -> String {
        switch ext.lowercased() {
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "woff2": "font/woff2"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}

/// Why the public folder could not be read.
public enum StaticAssetsError: Error, CustomStringConvertible {
    case unreadableDirectory(String)

    public var description: String {
        switch self {
        case .unreadableDirectory(let path): "cannot read the public folder \(path)"
        }
    }
}
