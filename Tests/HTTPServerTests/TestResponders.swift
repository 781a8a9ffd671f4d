import Foundation
import HTTPCore
import Synchronization

/// Echoes the request: method and target as headers, body as body. `/big` answers 8 MiB.
struct EchoResponder: HTTPResponder {
    func respond(to request: HTTPRequest) async -> HTTPResponse {
        if request.path == "/big" {
            return HTTPResponse(headers: ["Content-Type": "application/octet-stream"],
                                body: [UInt8](repeating: 0x61, count: 8 * 1024 * 1024))
        }
        let body = request.method == .head ? Array("hello".utf8) : request.body
        return HTTPResponse(headers: ["X-Method": request.method.rawValue, "X-Target": request.target], body: body)
    }
}

/// Waits at the gate for `/slow`, echoes otherwise.
struct GatedResponder: HTTPResponder {
    let gate: Gate

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        if request.path == "/slow" {
            await gate.wait()
            return .text("slow done")
        }
        return await EchoResponder().respond(to: request)
    }
}
