/// One search parameter ByNeed supports on one resource type: its name, FHIR type, what it
/// filters, and the text advertised in the CapabilityStatement.
public struct SearchParameterDefinition: Sendable, Hashable {
    /// FHIR R4 `SearchParamType`.
    public enum ParameterType: String, Sendable, Hashable {
        case reference, token, date, uri, string
    }

    /// What the parameter filters; `SearchRequest` has one property per field.
    public enum Field: Sendable, Hashable {
        /// `_id`: `SearchRequest.ids`.
        case id
        /// `patient` / `subject`: `SearchRequest.patient`.
        case patient
        /// `questionnaire`: `SearchRequest.questionnaire`.
        case questionnaire
        /// `authored` / `date`: `SearchRequest.dates`.
        case date
        /// `_lastUpdated`: `SearchRequest.lastUpdated`.
        case lastUpdated
        /// `status`: `SearchRequest.statuses`, checked against these codes.
        case status([String])
        /// `code`: `SearchRequest.codes`.
        case code
        /// `url`: `SearchRequest.url`.
        case url
        /// `version`: `SearchRequest.version`.
        case version
        /// `identifier` (Patient, CPR only): `SearchRequest.identifier`.
        case identifier
        /// `identifier` (QuestionnaireResponse, the sender's business identifier):
        /// `SearchRequest.responseIdentifiers`.
        case responseIdentifier
        /// `identifier` (Organization, SOR codes): `SearchRequest.organizationIdentifiers`.
        case organizationIdentifier
        /// `name` (Organization): `SearchRequest.organizationName`.
        case name
    }

    /// The parameter name as written in a query (`patient`, `_lastUpdated`).
    public let name: String
    /// The FHIR search parameter type.
    public let type: ParameterType
    /// Which `SearchRequest` property it fills.
    public let field: Field
    /// The CapabilityStatement text, naming the accepted forms.
    public let documentation: String

    public init(_ name: String, _ type: ParameterType, _ field: Field, _ documentation: String) {
        self.name = name
        self.type = type
        self.field = field
        self.documentation = documentation
    }

    /// Whether the parameter may be given more than once (dates: `ge` and `le` together make
    /// a range, FHIR R4 search §3.1.1.4.4 "AND" by repetition).
    var repeats: Bool {
        if case .date = field { return true }
        if case .lastUpdated = field { return true }
        return false
    }
}
