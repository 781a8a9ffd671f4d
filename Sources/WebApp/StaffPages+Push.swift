import Foundation
import HTTPCore
import Questionnaire
import Sharing
import SQLite
import Storage
import Templating

/// The administrators' view of FHIR push (issue 6): every organisation's subscriptions, the
/// notifications that are dead or being retried, and each subscription's delivery history.
///
/// Configuration, not patient data (`DataKind.configuration`: administrators only, everyone
/// else 404): notifications are shown by their delivery id and endpoint, never by patient.
extension StaffPages {
    /// `GET /staff/push`.
    func pushPage(_ request: HTTPRequest, _ signedIn: SignedIn) throws -> HTTPResponse {
        let language = signedIn.language
        let format = self.format(language)
        let (subscriptions, problems) = try context.database.read { db -> ([TemplateValue], [TemplateValue]) in
            try requireConfigurationAccess(db, signedIn)
            let counts = try Subscriptions.deliveryCounts(db)
            var organisations: [DepartmentID: Department] = [:]
            let subscriptions = try Subscriptions.every(db).map { subscription -> TemplateValue in
                if organisations[subscription.organisationID] == nil {
                    organisations[subscription.organisationID] = try Departments.find(db, id: subscription.organisationID)
                }
                let organisation = organisations[subscription.organisationID].map { "\($0.name) (\($0.sorCode))" } ?? "–"
                let count = counts[subscription.id] ?? [:]
                let colours = TriageColour.allCases.filter(subscription.colours.contains).map(\.rawValue).joined(separator: ", ")
                let payload: StaffText = subscription.fullPayload ? .pushPayloadFull : .pushPayloadID
                let status: StaffText = subscription.status == .active ? .statusActive : .pushStatusOff
                let fields: [String: String] = [
                    "id": String(subscription.id.rawValue), "historyURL": "/staff/push/\(subscription.id.rawValue)",
                    "organisation": organisation, "client": String(subscription.apiClientID.rawValue), "colours": colours,
                    "endpoint": subscription.endpoint, "payload": payload.text(language), "status": status.text(language),
                    "created": format.dateTime(subscription.createdAt), "delivered": String(count["delivered", default: 0]),
                    "pending": String(count["pending", default: 0]), "dead": String(count["dead", default: 0]),
                ]
                return .object(fields.mapValues(TemplateValue.string))
            }
            let problems = try Subscriptions.problems(db).map { item -> TemplateValue in
                .object([
                    "delivery": .string(String(item.id.rawValue)),
                    "subscription": .string(String(item.subscriptionID.rawValue)),
                    "historyURL": .string("/staff/push/\(item.subscriptionID.rawValue)"),
                    "endpoint": .string(item.endpoint),
                    "state": .string(item.state == "dead" ? StaffText.pushFailed.text(language) : StaffText.pushPending.text(language)),
                    "attempts": .string(String(item.attempts)),
                    "error": .string(item.lastError ?? "–"),
                ])
            }
            return (subscriptions, problems)
        }
        let content: TemplateValue = .object([
            "t": StaffText.labels(language), "subscriptions": .array(subscriptions), "hasSubscriptions": .bool(!subscriptions.isEmpty),
            "problems": .array(problems), "hasProblems": .bool(!problems.isEmpty),
        ])
        return try render("staff/push", title: StaffText.pushTitle.text(language), content: content, language: language,
                          signedIn: signedIn, current: "/staff/push", back: "/staff/push")
    }

    /// `GET /staff/push/:id`: every attempt to deliver one subscription's notifications, newest first.
    func pushHistoryPage(_ request: HTTPRequest, _ signedIn: SignedIn, id: String?) throws -> HTTPResponse {
        let language = signedIn.language
        let format = self.format(language)
        let rows = try context.database.read { db -> [TemplateValue] in
            try requireConfigurationAccess(db, signedIn)
            guard let number = id.flatMap(Int64.init),
                  try Subscriptions.every(db).contains(where: { $0.id.rawValue == number }) else { throw Failure.notFound }
            return try Subscriptions.attempts(db, subscriptionID: SubscriptionID(rawValue: number)).map { attempt in
                .object([
                    "at": .string(format.dateTime(attempt.at)), "delivery": .string(String(attempt.deliveryID.rawValue)),
                    "attempt": .string(String(attempt.attempt)), "outcome": .string(attempt.outcome), "detail": .string(attempt.detail ?? "–"),
                ])
            }
        }
        let title = "\(StaffText.pushHistoryTitle.text(language)) – \(StaffText.pushSubscriptions.text(language)) \(id ?? "")"
        let content: TemplateValue = .object(["t": StaffText.labels(language), "title": .string(title), "rows": .array(rows),
                                              "hasRows": .bool(!rows.isEmpty)])
        return try render("staff/push-history", title: title, content: content, language: language, signedIn: signedIn,
                          current: "/staff/push", back: "/staff/push")
    }

    /// Throws `notFound` unless the policy lets the signed-in account read configuration.
    private func requireConfigurationAccess(_ db: Connection, _ signedIn: SignedIn) throws {
        let decision = AccessPolicy.decide(actor: .staff(try policyUser(db, signedIn)), patient: nil, data: .configuration,
                                           now: context.clock())
        guard decision.isAllowed else { throw Failure.notFound }
    }
}
