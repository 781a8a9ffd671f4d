import JSON

/// A FHIR R4 OperationOutcome: the issues of a failed (or partly failed) request.
///
/// FHIR R4 operationoutcome.html; issue codes from the required value set `IssueType`
/// (http://hl7.org/fhir/issue-type). Build one from a `FHIRError` (which also gives the HTTP
/// status) or directly from issues.
public struct OperationOutcome: Sendable, Hashable {
    /// `OperationOutcome.issue.severity` (http://hl7.org/fhir/issue-severity).
    public enum Severity: String, Sendable, Hashable {
        case fatal, error, warning, information
    }

    /// The subset of `IssueType` (http://hl7.org/fhir/issue-type) ByNeed reports.
    public enum IssueType: String, Sendable, Hashable, CaseIterable {
        /// Content invalid against the specification or a profile (parent of the next four).
        case invalid
        /// A structural issue: not JSON, wrong JSON type, unknown element.
        case structure
        /// A required element is missing.
        case required
        /// An element's value is not valid.
        case value
        /// The resource or a resource it refers to does not exist.
        case notFound = "not-found"
        /// The resource existed but was deleted (HTTP 410).
        case deleted
        /// The requested interaction, parameter or format is not supported.
        case notSupported = "not-supported"
        /// The client is not allowed to do this.
        case forbidden
        /// The client must authenticate first.
        case login
        /// Too many requests: the client is throttled.
        case throttled
        /// The request could not be processed (e.g. the server's state).
        case processing
        /// A content or version conflict (HTTP 409/412).
        case conflict
        /// More than one resource matched where one was expected (conditional create).
        case multipleMatches = "multiple-matches"
        /// A business rule was broken (HTTP 422).
        case businessRule = "business-rule"
        /// A transient failure; retry later (HTTP 503).
        case transient
        /// An unexpected internal error (HTTP 500).
        case exception
    }

    /// One issue: severity, type, a message and where (FHIRPath expressions).
    public struct Issue: Sendable, Hashable {
        /// How bad: `fatal` for internal errors, `error` otherwise.
        public var severity: Severity
        /// What kind of problem (`issue.code`).
        public var code: IssueType
        /// The message for people (`diagnostics`).
        public var diagnostics: String
        /// FHIRPath expressions of the offending elements or parameters (`expression`).
        public var expression: [String]

        public init(severity: Severity = .error, code: IssueType, diagnostics: String, expression: [String] = []) {
            self.severity = severity
            self.code = code
            self.diagnostics = diagnostics
            self.expression = expression
        }
    }

    /// The issues, in the order found.
    public var issues: [Issue]

    public init(issues: [Issue]) {
        self.issues = issues
    }

    /// The resource. An OperationOutcome must have at least one issue (1..*), so an empty list
    /// is reported as one informational "All OK" issue, as FHIR R4 suggests for success.
    public var json: JSON {
        let shown = issues.isEmpty ? [Issue(severity: .information, code: .processing, diagnostics: "All OK")] : issues
        return .object(JSONObject([
            ("resourceType", "OperationOutcome"),
            ("issue", .array(shown.map { issue in
                var object = JSONObject()
                object["severity"] = .string(issue.severity.rawValue)
                object["code"] = .string(issue.code.rawValue)
                object["diagnostics"] = .string(issue.diagnostics)
                if !issue.expression.isEmpty { object["expression"] = .array(issue.expression.map(JSON.string)) }
                return .object(object)
            })),
        ]))
    }
}
