import JSON
import Storage

extension FHIRResources {
    /// The stored QuestionnaireResponse as it is (it is FHIR already), with `meta`: version 1,
    /// last updated when authored (responses are never changed once stored).
    ///
    /// Throws `FHIRError.internalError` when the stored text is not JSON (a corrupt row).
    public static func questionnaireResponse(_ response: StoredResponse) throws(FHIRError) -> JSON {
        let resource: JSON
        do {
            resource = try JSON.parse(response.resourceJSON)
        } catch {
            throw .internalError("stored QuestionnaireResponse \(response.resourceID) is not JSON: \(error)")
        }
        return ResourceMeta(versionId: ResourceMeta.firstVersion, lastUpdated: response.authored).applied(to: resource)
    }
}
