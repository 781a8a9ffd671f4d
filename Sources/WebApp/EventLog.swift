import Foundation
import JSON

/// Structured log lines, one JSON object per line.
///
/// Lines name the route template (`/q/:token`), never the raw path: a path can hold a link
/// token, and nothing that identifies a patient or their answers is ever logged.
public struct EventLog: Sendable {
    private let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void) { self.write = write }

    /// Lines to standard output.
    public static let standardOutput = EventLog { line in
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    func request(method: String, route: String, status: Int, duration: Duration) {
        let milliseconds = Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000
        emit(["event": "request", "method": method, "route": route, "status": String(status),
              "ms": String(format: "%.2f", milliseconds)])
    }

    func incident(_ id: String, route: String, error: any Error) {
        emit(["event": "incident", "incident": id, "route": route, "error": String(describing: type(of: error))])
    }

    public func message(_ event: String, _ fields: [String: String] = [:]) {
        emit(fields.merging(["event": event]) { $1 })
    }

    private func emit(_ fields: [String: String]) {
        let ordered = fields.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) }
        write(JSON.object(JSONObject(ordered)).serialized())
    }
}
