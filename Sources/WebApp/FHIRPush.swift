import FHIR
import Foundation
import Jobs
import JSON
import SQLite
import Storage

/// Push (issue 6): what the server hands the rest-hook deliverer, so that a full-resource
/// notification carries exactly what `GET /fhir/QuestionnaireResponse/<id>` returns.
public enum FHIRPush {
    /// The QuestionnaireResponse with FHIR id `resourceID` as a read returns it
    /// (`FHIRResources.questionnaireResponse`: with `meta.versionId` and `meta.lastUpdated`);
    /// nil when there is none.
    public static func questionnaireResponse(_ db: Connection, resourceID: String) throws -> JSON? {
        try Responses.find(db, resourceID: resourceID).map { try FHIRResources.questionnaireResponse($0) }
    }

    /// The deliverer with the documented defaults and full payloads built by `questionnaireResponse`.
    public static func delivery() -> SubscriptionDelivery {
        SubscriptionDelivery(resource: questionnaireResponse)
    }
}
