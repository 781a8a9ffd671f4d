import Foundation

/// A parsed response as the test client saw it.
struct TestResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var closes: Bool {
        header("Connection")?.lowercased() == "close"
    }

    var bodyText: String {
        String(decoding: body, as: UTF8.self)
    }

    /// One response from the front of `bytes` and the bytes it used, or nil if incomplete.
    static func parse(_ bytes: [UInt8], bodyless: Bool = false) -> (TestResponse, Int)? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4, let end = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<($0 + 4)]) == separator }) else {
            return nil
        }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        let headers = lines.dropFirst().map { line -> (String, String) in
            let parts = line.split(separator: ":", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1].drop { $0 == " " }) : "")
        }
        var response = TestResponse(status: status, headers: headers, body: [])
        let length = bodyless || status < 200 ? 0 : Int(response.header("Content-Length") ?? "0") ?? 0
        let bodyStart = end + 4
        guard bytes.count >= bodyStart + length else { return nil }
        response.body = Array(bytes[bodyStart..<(bodyStart + length)])
        return (response, bodyStart + length)
    }

    /// Every complete response in `bytes`, in order.
    static func parseAll(_ bytes: [UInt8]) -> [TestResponse] {
        var rest = bytes[...]
        var responses: [TestResponse] = []
        while let (response, used) = parse(Array(rest)) {
            responses.append(response)
            rest = rest.dropFirst(used)
        }
        return responses
    }
}
