import Foundation
import Glibc

/// A real SMTP server for the live tests: `Tests/Acceptance/support/smtp_sink.py` (aiosmtpd)
/// run by the interpreter in `BYNEED_PYTHON`, with a fresh directory for what it receives.
///
/// `@unchecked Sendable`: every property is set in `init` and never changed; the process is
/// only touched again in `deinit`, when no other reference exists.
final class SMTPSink: @unchecked Sendable {
    /// The interpreter with aiosmtpd installed; live tests are enabled only when it is set.
    static let python = ProcessInfo.processInfo.environment["BYNEED_PYTHON"]

    private static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Acceptance/support/smtp_sink.py")

    struct StartFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// What Python's email parser made of one received message (see smtp_sink.py).
    struct Received: Decodable {
        let subject: String
        let fromDisplayName: String
        let fromAddress: String
        let toDisplayName: String
        let toAddress: String
        let messageID: String
        let contentType: String
        let text: String?
        let html: String?
        let defects: [String]
        let mailFrom: String
        let rcptTos: [String]
        let heloName: String
    }

    let port: Int
    private let directory: URL
    private let process: Process
    /// Kept open: the sink exits when this pipe closes, so it cannot outlive the tests.
    private let input: Pipe

    /// Starts a sink on a thread of its own (starting Python blocks) and waits until it listens.
    static func start(refusingEHLO: Bool = false) async throws -> SMTPSink {
        try await onOwnThread { Result { try SMTPSink(refusingEHLO: refusingEHLO) } }.get()
    }

    private init(refusingEHLO: Bool) throws {
        guard let python = Self.python else { throw StartFailure(description: "BYNEED_PYTHON is not set") }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Self.script.path, directory.path] + (refusingEHLO ? ["--no-ehlo"] : [])
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw StartFailure(description: "smtp_sink.py exited before it was ready") }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("READY "), let port = Int(text.dropFirst(6)) else {
            throw StartFailure(description: "smtp_sink.py said '\(text)' instead of READY <port>")
        }
        self.port = port
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The raw bytes and the parsed summary of the `number`th message received (from 1).
    func received(_ number: Int) throws -> (raw: [UInt8], parsed: Received) {
        let base = directory.appendingPathComponent("\(number)")
        let raw = try Data(contentsOf: base.appendingPathExtension("eml"))
        let summary = try Data(contentsOf: base.appendingPathExtension("json"))
        return (Array(raw), try JSONDecoder().decode(Received.self, from: summary))
    }

    /// How many messages the sink has accepted.
    func receivedCount() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".eml") }.count
    }
}

/// Runs blocking work on a new thread, not on the cooperative pool that other tests need.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}
