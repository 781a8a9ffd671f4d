/// Everything that can go wrong in a FHIR request, each with its HTTP status and
/// OperationOutcome (FHIR R4 http.html, "HTTP Status Codes" per interaction; search.html
/// §3.1.1.3 "Handling Errors").
public enum FHIRError: Error, Sendable, Hashable {
    /// Search parameters the server does not know or support (strict handling): 400.
    case unknownParameters([String])
    /// A known parameter with a value that cannot be used: 400.
    case invalidParameter(name: String, value: String, reason: String)
    /// A search parameter the type requires is missing (AuditEvent needs `patient`): 400.
    case missingParameter(name: String, reason: String)
    /// A parameter ByNeed accepts only once was given more than once: 400.
    case repeatedParameter(String)
    /// The page cursor is not one ByNeed issued: 400.
    case invalidCursor(String)
    /// `_format` asks for a format ByNeed does not produce (XML, …): 406.
    case unsupportedFormat(String)
    /// The resource type is not served at all: 404 (FHIR R4 http.html: unknown type).
    case unknownResourceType(String)
    /// The resource type exists but this interaction is not supported on it: 405.
    case unsupportedInteraction(resourceType: String, interaction: String)
    /// No resource with this id (or the caller may not know it exists): 404.
    case notFound(resourceType: String, id: String)
    /// The resource existed and was deleted: 410.
    case gone(resourceType: String, id: String)
    /// A submitted resource that cannot be parsed or breaks basic FHIR rules: 400.
    case invalidResource([ResourceProblem])
    /// A well-formed resource that breaks a profile or ByNeed's rules (unknown questionnaire,
    /// answers that do not fit it): 422.
    case unprocessable([ResourceProblem])
    /// No or invalid credentials: 401.
    case authenticationRequired
    /// Authenticated, but not allowed (no treatment relation, blocked, no consent): 403.
    case forbidden(reason: String)
    /// A conditional request's criteria matched more than one resource: 412 (R4 http.html
    /// §3.1.0.8.1, conditional create).
    case multipleMatches(String)
    /// Too many requests from this client: 429, retry after the given seconds.
    case rateLimited(retryAfterSeconds: Int)
    /// The database cannot take the request now (write queue full, busy, read-only, disk full):
    /// 503, retry after the given seconds.
    case storageUnavailable(retryAfterSeconds: Int)
    /// An unexpected failure; the message is for the log, the client sees a generic text: 500.
    case internalError(String)

    /// The HTTP status code.
    public var httpStatus: Int {
        switch self {
        case .unknownParameters, .invalidParameter, .missingParameter, .repeatedParameter, .invalidCursor, .invalidResource: 400
        case .authenticationRequired: 401
        case .forbidden: 403
        case .unknownResourceType, .notFound: 404
        case .unsupportedInteraction: 405
        case .unsupportedFormat: 406
        case .gone: 410
        case .multipleMatches: 412
        case .unprocessable: 422
        case .rateLimited: 429
        case .internalError: 500
        case .storageUnavailable: 503
        }
    }

    /// Seconds for a `Retry-After` header (RFC 9110 §10.2.3), for 429 and 503.
    public var retryAfterSeconds: Int? {
        switch self {
        case .rateLimited(let seconds), .storageUnavailable(let seconds): seconds
        default: nil
        }
    }

    /// The OperationOutcome to send as the response body.
    public var operationOutcome: OperationOutcome {
        OperationOutcome(issues: issues)
    }

    private var issues: [OperationOutcome.Issue] {
        switch self {
        case .unknownParameters(let names):
            return names.map { name in
                OperationOutcome.Issue(code: .notSupported, diagnostics: "Unknown or unsupported search parameter \"\(name)\" (send 'Prefer: handling=lenient' to have unknown parameters ignored)", expression: [name])
            }
        case .invalidParameter(let name, let value, let reason):
            return [OperationOutcome.Issue(code: .value, diagnostics: "Invalid value \"\(value)\" for search parameter \"\(name)\": \(reason)", expression: [name])]
        case .missingParameter(let name, let reason):
            return [OperationOutcome.Issue(code: .required, diagnostics: "Search parameter \"\(name)\" is required: \(reason)", expression: [name])]
        case .repeatedParameter(let name):
            return [OperationOutcome.Issue(code: .invalid, diagnostics: "Search parameter \"\(name)\" may be given only once", expression: [name])]
        case .invalidCursor(let name):
            return [OperationOutcome.Issue(code: .invalid, diagnostics: "The page cursor is not valid; start the search again from its first page", expression: [name])]
        case .unsupportedFormat(let format):
            return [OperationOutcome.Issue(code: .notSupported, diagnostics: "Format \"\(format)\" is not supported; ByNeed serves application/fhir+json", expression: ["_format"])]
        case .unknownResourceType(let type):
            return [OperationOutcome.Issue(code: .notSupported, diagnostics: "Resource type \"\(type)\" is not served here")]
        case .unsupportedInteraction(let type, let interaction):
            return [OperationOutcome.Issue(code: .notSupported, diagnostics: "Interaction \(interaction) is not supported on \(type)")]
        case .notFound(let type, let id):
            return [OperationOutcome.Issue(code: .notFound, diagnostics: "\(type)/\(id) is not known")]
        case .gone(let type, let id):
            return [OperationOutcome.Issue(code: .deleted, diagnostics: "\(type)/\(id) has been deleted")]
        case .invalidResource(let problems), .unprocessable(let problems):
            return problems.map { OperationOutcome.Issue(code: $0.code, diagnostics: $0.message, expression: $0.expression.map { [$0] } ?? []) }
        case .authenticationRequired:
            return [OperationOutcome.Issue(code: .login, diagnostics: "Authentication is required")]
        case .forbidden(let reason):
            return [OperationOutcome.Issue(code: .forbidden, diagnostics: reason)]
        case .multipleMatches(let message):
            return [OperationOutcome.Issue(code: .multipleMatches, diagnostics: message)]
        case .rateLimited(let seconds):
            return [OperationOutcome.Issue(code: .throttled, diagnostics: "Too many requests; retry after \(seconds) s")]
        case .storageUnavailable(let seconds):
            return [OperationOutcome.Issue(code: .transient, diagnostics: "The server cannot store data right now (its database is busy or cannot write); nothing was changed; retry after \(seconds) s")]
        case .internalError:
            return [OperationOutcome.Issue(severity: .fatal, code: .exception, diagnostics: "An internal error occurred")]
        }
    }
}

/// One problem with a submitted resource: its issue type, message and FHIRPath location.
public struct ResourceProblem: Sendable, Hashable, CustomStringConvertible {
    /// The IssueType code.
    public var code: OperationOutcome.IssueType
    /// The problem in plain English (`diagnostics`).
    public var message: String
    /// Where, as a FHIRPath expression starting with the resource type
    /// (`QuestionnaireResponse.item[0].answer[1]`); nil for the whole request body.
    public var expression: String?

    public init(code: OperationOutcome.IssueType, message: String, expression: String?) {
        self.code = code
        self.message = message
        self.expression = expression
    }

    /// `expression: message`, for logs and test output.
    public var description: String {
        expression.map { "\($0): \(message)" } ?? message
    }
}
