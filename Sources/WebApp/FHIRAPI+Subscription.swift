import FHIR
import Foundation
import HTTPCore
import JSON
import Questionnaire
import SQLite
import Storage

extension FHIRAPI {
    /// The extension that carries a subscription's HMAC secret in the 201 answer, once.
    static let secretExtensionURL = "http://byneed.dk/fhir/StructureDefinition/subscription-secret"

    // MARK: - create

    /// `POST /fhir/Subscription` (FHIR R4 subscription.html, channel `rest-hook`): an API client
    /// with `system/Subscription.write` subscribes its organisation to new results.
    /// `criteria` is `QuestionnaireResponse` (all) or `QuestionnaireResponse?_triage=red,yellow`
    /// (those colours); `channel.endpoint` an `http://` URL (`https://` is refused with 422: the
    /// deliverer has no TLS); `channel.payload` `application/fhir+json` for the full resource,
    /// omitted for id-only. The 201 answer is the stored Subscription plus the per-subscription
    /// HMAC secret, once, in the extension `secretExtensionURL` and the
    /// `X-ByNeed-Subscription-Secret` header. The subscription and its audit row are stored in
    /// one transaction.
    func createSubscription(_ request: HTTPRequest, caller: FHIRCaller) async throws -> HTTPResponse {
        try requireScope(caller, .subscription, "write")
        let parsed = try Self.parseSubscription(request.body)
        let now = context.clock()
        let client = caller.stored
        let role = caller.policyClient.role.rawValue
        let sor = caller.department.sorCode
        let (stored, secret) = try await context.database.write { db in
            let created = try Subscriptions.create(db, client: client, colours: parsed.colours, endpoint: parsed.endpoint,
                                                   fullPayload: parsed.fullPayload, reason: parsed.reason, now: now)
            try AuditLog.append(db, AuditEntry(at: now, actorKind: .apiClient, actorID: String(client.id.rawValue), actorRole: role,
                                               organisationSOR: sor, patientID: nil, action: .change,
                                               what: "Subscription/\(created.id.rawValue)", outcome: "created",
                                               detail: "\(parsed.criteria) -> \(parsed.endpoint)"))
            return (try Subscriptions.find(db, id: created.id, organisationID: client.organisationID), created.secret)
        }
        guard let stored, var resource = FHIRResources.subscription(stored).objectValue else {
            throw FHIRError.internalError("the subscription just created was not found")
        }
        resource["extension"] = [["url": .string(Self.secretExtensionURL), "valueString": .string(secret)]]
        var response = answer(.object(resource), status: .created)
        response.headers.set("Location", "\(baseURL(request))/Subscription/\(stored.id.rawValue)/_history/\(stored.versionID)")
        response.headers.set("ETag", "W/\"\(stored.versionID)\"")
        response.headers.set("X-ByNeed-Subscription-Secret", secret)
        return response
    }

    /// What a Subscription resource asks for.
    struct SubscriptionRequest: Equatable {
        var criteria: String
        var colours: Set<TriageColour>
        var endpoint: String
        var fullPayload: Bool
        var reason: String
    }

    /// What to tell a client whose endpoint is `https://`: why, and what to do instead.
    static let httpsRefusal = "channel.endpoint must be an http:// URL: ByNeed's deliverer does not speak TLS. "
        + "To deliver over https, run a TLS-originating relay next to ByNeed (stunnel in client mode, or nginx with "
        + "'proxy_pass https://your-system/hook') listening on http://127.0.0.1:<port>, and subscribe with that address "
        + "(README, Push; docs/push.md)"

    /// Reads and checks a Subscription resource: 400 with the element at fault when it is not
    /// one ByNeed can read, 422 for an `https://` endpoint (well-formed, but not deliverable).
    static func parseSubscription(_ body: [UInt8]) throws(FHIRError) -> SubscriptionRequest {
        func invalid(_ message: String, _ expression: String) -> FHIRError {
            .invalidResource([ResourceProblem(code: .value, message: message, expression: expression)])
        }
        guard let json = try? JSON.parse(body), json["resourceType"]?.stringValue == "Subscription" else {
            throw invalid("The body is not a Subscription resource", "Subscription")
        }
        guard let criteria = json["criteria"]?.stringValue else { throw invalid("criteria is required", "Subscription.criteria") }
        let colours: Set<TriageColour>
        if criteria == "QuestionnaireResponse" {
            colours = Set(TriageColour.allCases)
        } else if criteria.hasPrefix("QuestionnaireResponse?_triage=") {
            let words = criteria.dropFirst("QuestionnaireResponse?_triage=".count).split(separator: ",", omittingEmptySubsequences: false)
            let parsed = words.compactMap { TriageColour(rawValue: String($0)) }
            guard !parsed.isEmpty, parsed.count == words.count else {
                throw invalid("_triage takes red, yellow and green separated by commas", "Subscription.criteria")
            }
            colours = Set(parsed)
        } else {
            throw invalid("criteria must be QuestionnaireResponse or QuestionnaireResponse?_triage=<colours>", "Subscription.criteria")
        }
        guard json["channel"]?["type"]?.stringValue == "rest-hook" else {
            throw invalid("channel.type must be rest-hook", "Subscription.channel.type")
        }
        guard let endpoint = json["channel"]?["endpoint"]?.stringValue,
              let url = URL(string: endpoint), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false else {
            throw invalid("channel.endpoint must be an http:// URL", "Subscription.channel.endpoint")
        }
        guard url.scheme?.lowercased() == "http" else {
            throw .unprocessable([ResourceProblem(code: .notSupported, message: httpsRefusal, expression: "Subscription.channel.endpoint")])
        }
        let payload = json["channel"]?["payload"]?.stringValue
        guard payload == nil || payload == "application/fhir+json" else {
            throw invalid("channel.payload must be application/fhir+json or omitted (id-only)", "Subscription.channel.payload")
        }
        return SubscriptionRequest(criteria: criteria, colours: colours, endpoint: endpoint, fullPayload: payload != nil,
                                   reason: json["reason"]?.stringValue ?? "New results")
    }

    // MARK: - read and search

    /// The caller's organisation's subscription `id` as an R4 Subscription; nil when there is
    /// none or it is another organisation's (answered 404 alike).
    func subscriptionResource(_ db: Connection, id: String, caller: FHIRCaller) throws -> JSON? {
        guard let rowID = Int64(id) else { return nil }
        return try Subscriptions.find(db, id: SubscriptionID(rawValue: rowID), organisationID: caller.stored.organisationID)
            .map(FHIRResources.subscription)
    }

    /// The caller's organisation's subscriptions as search rows (`_id`, `status`), the
    /// newest first; another organisation's are not there at all.
    func subscriptionRows(_ db: Connection, caller: FHIRCaller) throws -> [FHIRSearchRow] {
        try Subscriptions.all(db, organisationID: caller.stored.organisationID).map { subscription in
            FHIRSearchRow(sortKey: String(format: "%020lld", subscription.id.rawValue), id: String(subscription.id.rawValue),
                          patientID: nil, resource: FHIRResources.subscription(subscription), instant: nil)
        }
    }

    // MARK: - delete

    /// `DELETE /fhir/<type>/<id>` (FHIR R4 http.html §3.1.0.7 "delete"): only Subscription
    /// supports it (405 on other types, from `FHIRCapabilities`). It turns the caller's
    /// organisation's subscription off: status `off`, no more notifications, pending ones
    /// stopped (kept in the history, never sent), audited with the change. 200 with an
    /// OperationOutcome saying what happened; deleting it again changes nothing and answers
    /// 200 too ("Performing this interaction on a resource that is already deleted has no
    /// effect, and the server should return either a 200 OK … or a 204"). Another
    /// organisation's subscription is 404.
    func delete(_ request: HTTPRequest, typeName: String, id: String, caller: FHIRCaller) async throws -> HTTPResponse {
        let type = try FHIRCapabilities.check(typeName, .delete)
        try requireScope(caller, type, "write")
        guard type == .subscription, let rowID = Int64(id) else { throw FHIRError.notFound(resourceType: typeName, id: id) }
        let subscriptionID = SubscriptionID(rawValue: rowID)
        let now = context.clock()
        let client = caller.stored
        let role = caller.policyClient.role.rawValue
        let sor = caller.department.sorCode
        let deletion = try await context.database.write { db -> SubscriptionDeletion in
            guard try Subscriptions.find(db, id: subscriptionID, organisationID: client.organisationID) != nil else { return .unknown }
            guard let stopped = try Subscriptions.turnOff(db, subscriptionID, now: now) else { return .alreadyOff }
            try AuditLog.append(db, AuditEntry(at: now, actorKind: .apiClient, actorID: String(client.id.rawValue), actorRole: role,
                                               organisationSOR: sor, patientID: nil, action: .change, what: "Subscription/\(id)",
                                               outcome: "turned off", detail: "\(stopped) pending notifications stopped"))
            return .turnedOff(stopped: stopped)
        }
        let message: String
        switch deletion {
        case .unknown: throw FHIRError.notFound(resourceType: typeName, id: id)
        case .alreadyOff: message = "Subscription/\(id) was already off; nothing changed"
        case .turnedOff(let stopped): message = "Subscription/\(id) is off; \(stopped) pending notifications were stopped and will not be sent"
        }
        return answer(OperationOutcome(issues: [OperationOutcome.Issue(severity: .information, code: .processing, diagnostics: message)]).json)
    }

    /// What a delete found and did.
    enum SubscriptionDeletion: Sendable {
        /// No such subscription of the caller's organisation.
        case unknown
        /// It was off already: nothing changed.
        case alreadyOff
        /// It was turned off now, and this many pending notifications were stopped.
        case turnedOff(stopped: Int)
    }
}
