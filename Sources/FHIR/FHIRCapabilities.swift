import Foundation
import JSON
import Storage

/// The one table of what ByNeed's FHIR API supports: per resource type its interactions,
/// search parameters and includes.
///
/// The search parser accepts exactly these parameters, the CapabilityStatement advertises
/// exactly these, and the router is meant to be driven from `check(_:_:)`, so what is
/// advertised cannot drift from what is served.
public enum FHIRCapabilities {
    /// The FHIR version served (FHIR R4 technical correction 4.0.1).
    public static let fhirVersion = "4.0.1"
    /// The only include ByNeed resolves.
    public static let questionnaireInclude = "QuestionnaireResponse:questionnaire"

    /// What one resource type supports.
    public struct Resource: Sendable, Hashable {
        /// The resource type.
        public let type: ResourceType
        /// The interactions served; the router allows exactly these.
        public let interactions: [Interaction]
        /// The search parameters the parser accepts and the statement advertises.
        public let searchParameters: [SearchParameterDefinition]
        /// The `_include` values resolved (`searchInclude`).
        public let includes: [String]
        /// What the type holds, for the CapabilityStatement.
        public let documentation: String

        /// Whether create honours `If-None-Exist` (only answers are created by clients).
        public var conditionalCreate: Bool { type == .questionnaireResponse && interactions.contains(.create) }
    }

    private static let patientDocumentation =
        "The patient: patient:identifier=urn:oid:1.2.208.176.1.2|<CPR> (R4 :identifier modifier, matches the reference's identifier), "
        + "patient.identifier=urn:oid:1.2.208.176.1.2|<CPR> (chained; also patient:Patient.identifier), or patient=Patient/<id>"

    private static func patientParameters() -> [SearchParameterDefinition] {
        [SearchParameterDefinition("patient", .reference, .patient, patientDocumentation),
         SearchParameterDefinition("subject", .reference, .patient, "Same as patient (the subject is always a Patient)")]
    }

    private static let idParameter = SearchParameterDefinition("_id", .token, .id, "The resource id; a comma-separated list matches any")

    /// The table.
    public static let resources: [Resource] = [
        Resource(type: .questionnaireResponse, interactions: [.read, .vread, .searchType, .create],
                 searchParameters: [idParameter] + patientParameters() + [
                     SearchParameterDefinition("questionnaire", .reference, .questionnaire,
                                               "The questionnaire answered: its canonical url or url|version, or Questionnaire/<id>"),
                     SearchParameterDefinition("authored", .date, .date,
                                               "When the answers were given; prefixes eq, gt, ge, lt, le; date or dateTime with offset"),
                     SearchParameterDefinition("_lastUpdated", .date, .lastUpdated, "When the resource last changed; prefixes as for authored"),
                     SearchParameterDefinition("status", .token, .status(["in-progress", "completed", "amended", "entered-in-error", "stopped"]),
                                               "QuestionnaireResponseStatus; a comma-separated list matches any"),
                     SearchParameterDefinition("identifier", .token, .responseIdentifier,
                                               "The identifier the sending system gave the response: system|value; also in If-None-Exist on create"),
                 ],
                 includes: [questionnaireInclude],
                 documentation: "Answers to ByNeed questionnaires. Create checks the answers against the questionnaire version, "
                     + "keeps the sender's authored (not in the future) and identifier, records the client's organisation as author, "
                     + "and with If-None-Exist: identifier=<system>|<value> stores nothing when that response exists (200; 412 when several do)"),
        Resource(type: .observation, interactions: [.read, .vread, .searchType],
                 searchParameters: [idParameter] + patientParameters() + [
                     SearchParameterDefinition("code", .token, .code, "The score's code, system|code, |code or code; a comma-separated list matches any"),
                     SearchParameterDefinition("date", .date, .date, "The effective time (when the answers were given); prefixes eq, gt, ge, lt, le"),
                 ],
                 includes: [],
                 documentation: "Scores extracted from responses (SDC observation-based extraction)"),
        Resource(type: .clinicalImpression, interactions: [.read, .vread, .searchType],
                 searchParameters: [idParameter] + patientParameters() + [
                     SearchParameterDefinition("date", .date, .date, "When the assessment was made; prefixes eq, gt, ge, lt, le"),
                     SearchParameterDefinition("status", .token, .status(["in-progress", "completed", "entered-in-error"]),
                                               "ClinicalImpressionStatus; a comma-separated list matches any"),
                 ],
                 includes: [],
                 documentation: "The automatic triage of each response (TriagingResult) and clinicians' assessments (MeasurementAssessment)"),
        Resource(type: .patient, interactions: [.read, .vread, .searchType],
                 searchParameters: [idParameter,
                                    SearchParameterDefinition("identifier", .token, .identifier, "The CPR number: urn:oid:1.2.208.176.1.2|<CPR>")],
                 includes: [],
                 documentation: "Minimal: the CPR identifier and the name"),
        Resource(type: .organization, interactions: [.read, .vread, .searchType],
                 searchParameters: [idParameter,
                                    SearchParameterDefinition("identifier", .token, .organizationIdentifier,
                                                              "The SOR code: urn:oid:1.2.208.176.1.1|<SOR code>; a comma-separated list matches any"),
                                    SearchParameterDefinition("name", .string, .name,
                                                              "The start of the name, ignoring case and accents (R4 string search)")],
                 includes: [],
                 documentation: "Hospital departments, GP clinics and municipal units known to ByNeed, by SOR code; not patient data"),
        Resource(type: .questionnaire, interactions: [.read, .vread, .searchType],
                 searchParameters: [idParameter,
                                    SearchParameterDefinition("url", .uri, .url, "The canonical url"),
                                    SearchParameterDefinition("version", .token, .version, "The business version"),
                                    SearchParameterDefinition("status", .token, .status(["draft", "active", "retired", "unknown"]),
                                                              "PublicationStatus; a comma-separated list matches any")],
                 includes: [],
                 documentation: "The questionnaire versions ByNeed serves"),
        subscriptionResource,
        Resource(type: .consent, interactions: [.read, .vread, .searchType],
                 searchParameters: [idParameter] + [SearchParameterDefinition("patient", .reference, .patient, patientDocumentation)] + [
                     SearchParameterDefinition("status", .token, .status(["draft", "proposed", "active", "rejected", "inactive", "entered-in-error"]),
                                               "ConsentState: active while the block or consent holds, inactive after; a comma-separated list matches any"),
                 ],
                 includes: [],
                 documentation: "The patient's sharing choices, one per episode: a block (spærring; provision deny) until lifted, "
                     + "a consent (samtykke; provision permit) until withdrawn or expired (at most a year); the organisation is provision.actor. "
                     + "A client that may read the patient's identity sees the episodes naming its own organisation; "
                     + "the responsible department's clients see all of them"),
        Resource(type: .auditEvent, interactions: [.read, .vread, .searchType],
                 searchParameters: [idParameter] + [SearchParameterDefinition("patient", .reference, .patient, "Required. " + patientDocumentation)] + [
                     SearchParameterDefinition("date", .date, .date, "When the access happened (recorded); prefixes eq, gt, ge, lt, le"),
                 ],
                 includes: [],
                 documentation: "The accesses the client's own organisation (its staff and its API clients) made to one patient's data, "
                     + "for the data controller's follow-up; only for a patient whose results the client may read. "
                     + "The patient's full access log is the patient's alone. Staff with protected identity appear as their organisation"),
    ]

    /// Push (issue 6): what a Subscription may ask for and how notifications are sent (the
    /// README's "Push" section has the details).
    private static let subscriptionResource = Resource(
        type: .subscription, interactions: [.create, .read, .vread, .searchType, .delete],
        searchParameters: [idParameter,
                           SearchParameterDefinition("status", .token, .status(["requested", "active", "error", "off"]),
                                                     "SubscriptionStatus; only active subscriptions are listed (a deleted one is gone)")],
        includes: [],
        documentation: "Rest-hook notifications of new results for the client's organisation (scope system/Subscription.write to "
            + "create and delete, .read to read and search; a client sees only its organisation's subscriptions). "
            + "criteria: 'QuestionnaireResponse' (every new result the organisation may see) or "
            + "'QuestionnaireResponse?_triage=red,yellow' (any of red, yellow, green). channel.type: rest-hook; "
            + "channel.endpoint: an http:// URL (https:// is refused: point it at a local TLS-originating relay); "
            + "channel.payload: application/fhir+json for the full QuestionnaireResponse as a read returns it, omitted for id-only. "
            + "Each notification is a history Bundle POSTed with X-ByNeed-Signature: sha256=<hex HMAC-SHA256 of the body "
            + "under the secret returned once at creation> and X-ByNeed-Delivery: <id> (deduplicate by it; delivery is at least once). "
            + "delete turns the subscription off for good (pending notifications stopped) and answers 200 with an "
            + "OperationOutcome, also when it was already deleted; a deleted subscription then reads as 410 Gone and is not listed.")

    /// The row of `type`, if it is served.
    public static func resource(_ type: ResourceType) -> Resource {
        resources.first { $0.type == type }!
    }

    /// The resource type of a request path segment when `interaction` is supported on it;
    /// `unknownResourceType` (404) or `unsupportedInteraction` (405) otherwise.
    public static func check(_ typeName: String, _ interaction: Interaction) throws(FHIRError) -> ResourceType {
        guard let type = ResourceType(rawValue: typeName) else { throw .unknownResourceType(typeName) }
        guard resource(type).interactions.contains(interaction) else {
            throw .unsupportedInteraction(resourceType: typeName, interaction: interaction.rawValue)
        }
        return type
    }

    /// What the statement says of the server as a whole.
    private static let restDocumentation = "ByNeed: patient-reported outcomes, scores and triage. "
        + "Unknown search parameters are refused (400) unless the request sends 'Prefer: handling=lenient'. "
        + "Only the current version of a resource is kept: vread of an earlier version answers 404."

    /// How clients authenticate, for `rest.security`.
    private static let securityDescription = "Every request but GET metadata sends 'Authorization: Bearer <token>' (RFC 6750). "
        + "Tokens are issued per organisation by the operator (byneed client add --org <SOR> --scopes ...), carry at least 256 random bits, "
        + "expire or are revoked, and hold SMART-style system scopes: system/<Type>.read or .write, * for any type. "
        + "A client sees a patient's data exactly when staff of its organisation would (treatment relation not blocked, or consent); "
        + "anything else answers as if it did not exist (404), and totals never count it. Every read is audited. "
        + "Rate limit per token: 429 with Retry-After."

    /// The CapabilityStatement (FHIR R4 capabilitystatement.html), generated from `resources`:
    /// `kind` instance, JSON only, one `rest` entry in server mode. `date` is when this
    /// statement was produced (1..1 in R4); `baseURL` the server's FHIR base.
    public static func capabilityStatement(baseURL: String, softwareVersion: String, date: Date) -> JSON {
        let rest: JSON = [
            "mode": "server",
            "documentation": .string(restDocumentation),
            "security": ["cors": false, "description": .string(securityDescription)],
            "resource": .array(resources.map(resourceJSON)),
        ]
        return [
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": .string(Timestamp.string(date)),
            "publisher": "ByNeed",
            "kind": "instance",
            "software": ["name": "ByNeed", "version": .string(softwareVersion)],
            "implementation": ["description": "ByNeed FHIR API", "url": .string(baseURL)],
            "fhirVersion": .string(fhirVersion),
            "format": ["json", "application/fhir+json"],
            "rest": [rest],
        ]
    }

    private static func resourceJSON(_ resource: Resource) -> JSON {
        var object = JSONObject()
        object["type"] = .string(resource.type.rawValue)
        object["profile"] = .string("http://hl7.org/fhir/StructureDefinition/\(resource.type.rawValue)")
        object["documentation"] = .string(resource.documentation)
        object["interaction"] = .array(resource.interactions.map { ["code": .string($0.rawValue)] })
        object["versioning"] = "versioned"
        object["readHistory"] = false
        object["updateCreate"] = false
        if resource.conditionalCreate { object["conditionalCreate"] = true }
        if !resource.includes.isEmpty { object["searchInclude"] = .array(resource.includes.map(JSON.string)) }
        if !resource.searchParameters.isEmpty {
            object["searchParam"] = .array(resource.searchParameters.map { parameter in
                ["name": .string(parameter.name), "type": .string(parameter.type.rawValue), "documentation": .string(parameter.documentation)]
            })
        }
        return .object(object)
    }
}
