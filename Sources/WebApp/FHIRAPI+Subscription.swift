import FHIR
import Foundation
import HTTPCore
import JSON
import Questionnaire
import Storage

extension FHIRAPI {
    /// The extension that carries a subscription's HMAC secret in the 201 answer, once.
    static let secretExtensionURL = "http://byneed.dk/fhir/StructureDefinition/subscription-secret"

    /// `POST /fhir/Subscription` (FHIR R4 subscription.html, channel `rest-hook`): an API client
    /// with `system/Subscription.write` subscribes its organisation to new results.
    /// `criteria` is `QuestionnaireResponse` (all) or `QuestionnaireResponse?_triage=red,yellow`
    /// (those colours); `channel.endpoint` an `http://` URL (`https://` is refused: the
    /// deliverer speaks plain HTTP only); `channel.payload` `application/fhir+json` for the full
    /// resource, omitted for id-only. The 201 answer carries the per-subscription HMAC secret
    /// once, in the extension `secretExtensionURL` and the `X-ByNeed-Subscription-Secret` header.
    /// The subscription and its audit row are stored in one transaction.
    func createSubscription(_ request: HTTPRequest, caller: FHIRCaller) async throws -> HTTPResponse {
        guard caller.stored.scopes.contains(where: { APIScope($0)?.allows(resourceType: "Subscription", access: "write") == true }) else {
            throw FHIRError.forbidden(reason: "The client has no scope system/Subscription.write")
        }
        let parsed = try Self.parseSubscription(request.body)
        let now = context.clock()
        let client = caller.stored
        let role = caller.policyClient.role.rawValue
        let sor = caller.department.sorCode
        let (id, secret) = try await context.database.write { db in
            let created = try Subscriptions.create(db, client: client, colours: parsed.colours, endpoint: parsed.endpoint,
                                                   fullPayload: parsed.fullPayload, now: now)
            try AuditLog.append(db, AuditEntry(at: now, actorKind: .apiClient, actorID: String(client.id.rawValue), actorRole: role,
                                               organisationSOR: sor, patientID: nil, action: .change,
                                               what: "Subscription/\(created.id.rawValue)", outcome: "created",
                                               detail: "\(parsed.criteria) -> \(parsed.endpoint)"))
            return created
        }
        var channel = JSONObject([("type", "rest-hook"), ("endpoint", .string(parsed.endpoint))])
        if parsed.fullPayload { channel["payload"] = "application/fhir+json" }
        let resource: JSON = ["resourceType": "Subscription", "id": .string(String(id.rawValue)), "status": "active",
                              "reason": .string(parsed.reason), "criteria": .string(parsed.criteria), "channel": .object(channel),
                              "extension": [["url": .string(Self.secretExtensionURL), "valueString": .string(secret)]]]
        var response = answer(resource, status: .created)
        response.headers.set("Location", "\(baseURL(request))/Subscription/\(id.rawValue)")
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

    /// Reads and checks a Subscription resource; 400 with the element at fault otherwise.
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
            throw invalid("channel.endpoint must be an http(s) URL", "Subscription.channel.endpoint")
        }
        let payload = json["channel"]?["payload"]?.stringValue
        guard payload == nil || payload == "application/fhir+json" else {
            throw invalid("channel.payload must be application/fhir+json or omitted (id-only)", "Subscription.channel.payload")
        }
        return SubscriptionRequest(criteria: criteria, colours: colours, endpoint: endpoint, fullPayload: payload != nil,
                                   reason: json["reason"]?.stringValue ?? "New results")
    }
}
