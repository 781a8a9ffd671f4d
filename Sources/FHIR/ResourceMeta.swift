import Foundation
import JSON
import Storage

/// `Resource.meta`: the version and the instant of the last change (FHIR R4 §2.24.0.13 Meta).
///
/// ByNeed's stored responses, scores and triage never change, so what is built from them is
/// version `1`, last updated when the answers were authored. A decision that a later one
/// corrects becomes version `2`, updated at the correction. Patients, departments and
/// questionnaires have no stored change time: their version is a hash of their content (so it
/// changes exactly when the content does, as FHIR R4 `meta.versionId` requires), and the
/// caller supplies the instant (the API: when that version was first served,
/// `Storage.ResourceVersions`).
public struct ResourceMeta: Sendable, Hashable {
    /// The first (and, for immutable records, only) version.
    public static let firstVersion = "1"

    /// `meta.versionId`: a FHIR id.
    public var versionId: String
    /// `meta.lastUpdated`: written as a UTC instant with seconds.
    public var lastUpdated: Date

    public init(versionId: String, lastUpdated: Date) {
        self.versionId = versionId
        self.lastUpdated = lastUpdated
    }

    /// Meta whose version is the hash of `content` (the resource without meta).
    public init(contentOf content: JSON, lastUpdated: Date) {
        self.init(versionId: FHIRID.hash(content.serialized()), lastUpdated: lastUpdated)
    }

    /// The `meta` element: `versionId` and `lastUpdated` as a FHIR instant in UTC.
    public var json: JSON {
        ["versionId": .string(versionId), "lastUpdated": .string(Timestamp.string(lastUpdated))]
    }

    /// `resource` with this meta placed right after `id` (any existing meta is replaced, its
    /// `profile`, `tag` and `security` kept).
    public func applied(to resource: JSON) -> JSON {
        guard let object = resource.objectValue else { return resource }
        var meta = json.objectValue ?? JSONObject()
        for (key, value) in object["meta"]?.objectValue ?? JSONObject() where meta[key] == nil { meta[key] = value }
        var result = JSONObject()
        for (key, value) in object where key != "meta" {
            result[key] = value
            if key == "id" { result["meta"] = .object(meta) }
        }
        if result["meta"] == nil { result["meta"] = .object(meta) }
        return .object(result)
    }
}
