/// A validated FHIR search on one resource type: every criterion typed, paging and result
/// parameters resolved, and the query to repeat in the Bundle's links.
///
/// Criteria of one parameter combine with OR (a comma list); different parameters, and
/// repeated date parameters, combine with AND (FHIR R4 search §3.1.1.4.4).
///
/// What each date means for the integrator's query: QuestionnaireResponse `authored` and
/// `_lastUpdated` are the stored `authored` (responses never change, so `meta.lastUpdated` is
/// `authored`); Observation `date` is its response's `authored`; ClinicalImpression `date` is
/// the response's `authored` for the triage and `decided_at` for an assessment. The order is
/// the integrator's (newest first is what clinicians expect); paging follows `PageCursor`.
public struct SearchRequest: Sendable, Hashable {
    /// `_count` when none is given.
    public static let defaultCount = 20
    /// The largest page; a larger `_count` is lowered to it (R4 lets the server return fewer).
    public static let maximumCount = 100

    /// The type searched.
    public let resourceType: ResourceType
    /// `_id`: any of these ids (empty: no filter).
    public internal(set) var ids: [String] = []
    /// `patient` / `subject`.
    public internal(set) var patient: PatientCriterion?
    /// `questionnaire`: any of these (empty: no filter).
    public internal(set) var questionnaires: [QuestionnaireCriterion] = []
    /// `authored` (QuestionnaireResponse) or `date` (Observation, ClinicalImpression): all must hold.
    public internal(set) var dates: [DateCriterion] = []
    /// `_lastUpdated`: all must hold.
    public internal(set) var lastUpdated: [DateCriterion] = []
    /// `status`: any of these codes (empty: no filter).
    public internal(set) var statuses: [String] = []
    /// `code`: any of these (empty: no filter).
    public internal(set) var codes: [TokenCriterion] = []
    /// `url` (Questionnaire).
    public internal(set) var url: String?
    /// `version` (Questionnaire).
    public internal(set) var version: String?
    /// `identifier` (Patient): the CPR number.
    public internal(set) var identifier: String?
    /// `identifier` (QuestionnaireResponse): any of these tokens.
    public internal(set) var responseIdentifiers: [TokenCriterion] = []
    /// `identifier` (Organization): any of these SOR codes.
    public internal(set) var organizationIdentifiers: [String] = []
    /// `name` (Organization): R4 string search, the start of the name ignoring case and accents.
    public internal(set) var organizationName: String?
    /// `_count`, between 0 (only the total) and `maximumCount`.
    public internal(set) var count = SearchRequest.defaultCount
    /// `_include=QuestionnaireResponse:questionnaire`.
    public internal(set) var includesQuestionnaire = false
    /// `_pretty=true`.
    public internal(set) var pretty = false
    /// The page to continue from; nil for the first page.
    public internal(set) var cursor: PageCursor?
    /// Parameters ignored under lenient handling (for a log line; they are not in the links).
    public internal(set) var ignoredParameters: [String] = []
    /// The parameters used, in the order given and without the cursor: the query of the
    /// Bundle's links.
    public internal(set) var linkQuery: [QueryItem] = []

    init(resourceType: ResourceType) {
        self.resourceType = resourceType
    }
}

/// One query parameter as it goes into a link: decoded name and value.
public struct QueryItem: Sendable, Hashable {
    /// The parameter name with its modifier or chain (`patient:identifier`).
    public let name: String
    /// The decoded value.
    public let value: String
}
