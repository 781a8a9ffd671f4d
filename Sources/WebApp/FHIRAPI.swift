import FHIR
import Foundation
import HTTPCore
import JSON
import Sharing
import SQLite
import Storage

/// ByNeed's FHIR R4 REST API under `/fhir` for sector IT systems (issue 6), driven by
/// `FHIRCapabilities`: what the CapabilityStatement advertises is exactly what is routed.
///
/// Every route but `metadata` needs a bearer token (`byneed client add`); every read of
/// patient data passes `Sharing.AccessPolicy` with the audit row in the same transaction, a
/// refusal looks like an unknown resource (404), and searches drop what the client may not
/// see before counting and paging.
struct FHIRAPI: Sendable {
    /// The path prefix of the API.
    static let prefix = "/fhir"
    /// The media type of every answer (FHIR R4 http.html §3.1.0.1.10 "Content Types").
    static let mediaType = "application/fhir+json; charset=utf-8"

    let context: AppContext
    let limiter: FHIRRateLimiter

    init(context: AppContext, limiter: FHIRRateLimiter = FHIRRateLimiter()) {
        self.context = context
        self.limiter = limiter
    }

    /// Adds the `/fhir` routes.
    func register(in router: inout Router) {
        router.add(.get, "/fhir/:type") { request, parameters in
            let type = parameters["type"] ?? ""
            if type == "metadata" { return metadata(request) }
            return await guarded(request) { caller in try await search(request, typeName: type, caller: caller) }
        }
        router.add(.get, "/fhir/:type/:id") { request, parameters in
            let (type, id) = (parameters["type"] ?? "", parameters["id"] ?? "")
            return await guarded(request, refusal: Self.notFound(type, id)) { caller in
                try await read(request, typeName: type, id: id, caller: caller)
            }
        }
        router.add(.get, "/fhir/:type/:id/_history/:version") { request, parameters in
            let (type, id, version) = (parameters["type"] ?? "", parameters["id"] ?? "", parameters["version"] ?? "")
            return await guarded(request, refusal: Self.notFound(type, id, version: version)) { caller in
                try await read(request, typeName: type, id: id, version: version, caller: caller)
            }
        }
        router.add(.post, "/fhir/:type") { request, parameters in
            await guarded(request) { caller in
                let typeName = parameters["type"] ?? ""
                if try FHIRCapabilities.check(typeName, .create) == .subscription { return try await createSubscription(request, caller: caller) }
                return try await create(request, typeName: typeName, caller: caller)
            }
        }
        router.add(.delete, "/fhir/:type/:id") { request, parameters in
            await guarded(request) { caller in
                try await delete(request, typeName: parameters["type"] ?? "", id: parameters["id"] ?? "", caller: caller)
            }
        }
    }

    // MARK: - Answers and errors

    /// The 404 of an unknown resource (or version); a refused one gets the very same answer,
    /// built from the same decoded route parameters, so the two cannot be told apart.
    static func notFound(_ type: String, _ id: String, version: String? = nil) -> FHIRError {
        .notFound(resourceType: type, id: version.map { "\(id)/_history/\($0)" } ?? id)
    }

    /// Authenticates, runs `body` and turns every failure into an OperationOutcome: a policy
    /// refusal is audited and answered with `refusal`, the route's own 404 for an unknown id.
    private func guarded(_ request: HTTPRequest, refusal: FHIRError = .notFound(resourceType: "", id: ""),
                         _ body: (FHIRCaller) async throws -> HTTPResponse) async -> HTTPResponse {
        let caller: FHIRCaller
        do {
            caller = try authenticate(request, now: context.clock())
        } catch {
            return failure(error)
        }
        do {
            try checkFormat(request)
            return try await body(caller)
        } catch let error as FHIRError {
            return failure(error)
        } catch let denied as Denied {
            do {
                try await auditDenial(caller, denied, route: request.path)
            } catch {
                return failure(.internalError("audit of a denial: \(error)"))
            }
            return failure(refusal)
        } catch {
            return failure(.internalError("\(error)"))
        }
    }

    /// `_format` on a read or create (406 unless JSON), checked by the search parser's own
    /// rule so both agree; and an `Accept` header that names no JSON type and no wildcard
    /// (FHIR R4 http.html §3.1.0.1.10: 406 for a format the server does not produce).
    private func checkFormat(_ request: HTTPRequest) throws(FHIRError) {
        _ = try SearchRequest.parse(resourceType: .organization, query: request.queryItems().filter { $0.name == "_format" })
        let accepted = request.headers.listElements(for: "Accept").map { $0.lowercased() }
        if !accepted.isEmpty && !accepted.contains(where: { $0.contains("json") || $0.hasPrefix("*/*") || $0.hasPrefix("application/*") }) {
            throw .unsupportedFormat(accepted.joined(separator: ", "))
        }
    }

    /// The OperationOutcome of an error, with `WWW-Authenticate` on 401 (RFC 6750 §3) and
    /// `Retry-After` on 429 and 503 (RFC 9110 §10.2.3).
    func failure(_ error: FHIRError) -> HTTPResponse {
        if case .internalError(let message) = error { context.log.message("fhir-error", ["message": message]) }
        var response = answer(error.operationOutcome.json, status: HTTPStatus(code: error.httpStatus))
        if error.httpStatus == 401 { response.headers.set("WWW-Authenticate", "Bearer realm=\"ByNeed FHIR\"") }
        if let seconds = error.retryAfterSeconds { response.headers.set("Retry-After", String(seconds)) }
        return response
    }

    /// A FHIR JSON answer.
    func answer(_ json: JSON, status: HTTPStatus = .ok) -> HTTPResponse {
        var response = HTTPResponse(status: status, body: json.serializedBytes())
        response.headers.set("Content-Type", Self.mediaType)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// The FHIR base URL as the client reached it (`http://<Host>/fhir`), for links and `fullUrl`.
    func baseURL(_ request: HTTPRequest) -> String {
        let scheme = request.headers["X-Forwarded-Proto"] == "https" ? "https" : "http"
        return "\(scheme)://\(request.headers["Host"] ?? "localhost")\(Self.prefix)"
    }

    // MARK: - metadata

    /// `GET /fhir/metadata`: the CapabilityStatement; no authentication (FHIR R4 http.html §3.1.0.12).
    private func metadata(_ request: HTTPRequest) -> HTTPResponse {
        answer(FHIRCapabilities.capabilityStatement(baseURL: baseURL(request), softwareVersion: "1", date: context.clock()))
    }
}
