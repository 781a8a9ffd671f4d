@testable import FHIR
import Foundation
import JSON
@testable import Storage
import Testing

// MARK: - Fixtures

private let hospital = Department(id: DepartmentID(rawValue: 1), sorCode: "999999999999999", name: "Demo-epilepsiklinikken", phone: "1")
private let gpClinic = Department(id: DepartmentID(rawValue: 2), sorCode: "222222222222222", name: "Lægehuset", phone: "2", kind: .gpClinic)
private let socialUnit = Department(id: DepartmentID(rawValue: 3), sorCode: "333333333333333", name: "Socialcenter", phone: "3",
                                    kind: .municipalSocialServicesUnit)
private let patient = Patient(id: PatientID(rawValue: 7), cpr: "2512489996", name: "Nancy Berggren", language: "da",
                              departmentID: hospital.id, contact: PatientContact())
private let day: TimeInterval = 86_400
private let start = Date(timeIntervalSince1970: 1_795_000_000)

private func at(_ days: Double) -> Date { start.addingTimeInterval(days * day) }

/// A choice row: `row` is its id, `days` after `start`.
private func choice(_ row: Int64, _ kind: SharingChoice.Kind, _ organisation: Department, _ days: Double,
                    expiresInDays: Double? = nil) -> SharingChoice {
    SharingChoice(id: row, patientID: patient.id, organisation: organisation, kind: kind, at: at(days),
                  expiresAt: expiresInDays.map { at(days + $0) }, channel: "patient-page", actor: "patient")
}

/// An episode as (kind, SOR, starting row, end in days after `start`).
struct ExpectedEpisode: Equatable, CustomStringConvertible {
    let kind: ConsentEpisode.Kind
    let sor: String
    let row: Int64
    let endDays: Double?
    var description: String { "\(kind) \(sor) from row \(row) until " + (endDays.map { String($0) } ?? "open") }
}

private func summary(_ episode: ConsentEpisode) -> ExpectedEpisode {
    ExpectedEpisode(kind: episode.kind, sor: episode.organisation.sorCode, row: episode.start.id,
             endDays: episode.end.map { $0.timeIntervalSince(start) / day })
}

// MARK: - Episodes

@Test(arguments: [
    ("a block until it is lifted", [choice(1, .block, gpClinic, 0), choice(2, .unblock, gpClinic, 3)],
     [ExpectedEpisode(kind: .block, sor: gpClinic.sorCode, row: 1, endDays: 3)]),
    ("a block not lifted stays open", [choice(1, .block, gpClinic, 0)],
     [ExpectedEpisode(kind: .block, sor: gpClinic.sorCode, row: 1, endDays: nil)]),
    ("a second block of a blocked organisation changes nothing", [choice(1, .block, gpClinic, 0), choice(2, .block, gpClinic, 1), choice(3, .unblock, gpClinic, 2)],
     [ExpectedEpisode(kind: .block, sor: gpClinic.sorCode, row: 1, endDays: 2)]),
    ("an unblock or withdrawal with nothing open makes no episode", [choice(1, .unblock, gpClinic, 0), choice(2, .withdrawConsent, socialUnit, 1)],
     []),
    ("a consent ends at its recorded expiry", [choice(1, .consent, socialUnit, 0, expiresInDays: 30)],
     [ExpectedEpisode(kind: .consent, sor: socialUnit.sorCode, row: 1, endDays: 30)]),
    ("a consent ends after 365 days whatever its expiry says", [choice(1, .consent, socialUnit, 0, expiresInDays: 800)],
     [ExpectedEpisode(kind: .consent, sor: socialUnit.sorCode, row: 1, endDays: 365)]),
    ("a withdrawn consent ends at the withdrawal", [choice(1, .consent, socialUnit, 0, expiresInDays: 30), choice(2, .withdrawConsent, socialUnit, 5)],
     [ExpectedEpisode(kind: .consent, sor: socialUnit.sorCode, row: 1, endDays: 5)]),
    ("a renewed consent ends the former one", [choice(1, .consent, socialUnit, 0, expiresInDays: 30), choice(4, .consent, socialUnit, 10, expiresInDays: 30)],
     [ExpectedEpisode(kind: .consent, sor: socialUnit.sorCode, row: 1, endDays: 10), ExpectedEpisode(kind: .consent, sor: socialUnit.sorCode, row: 4, endDays: 40)]),
    ("blocks of two organisations are two episodes", [choice(1, .block, gpClinic, 0), choice(2, .block, hospital, 1)],
     [ExpectedEpisode(kind: .block, sor: gpClinic.sorCode, row: 1, endDays: nil), ExpectedEpisode(kind: .block, sor: hospital.sorCode, row: 2, endDays: nil)]),
])
func choicesReplayIntoEpisodesAsThePolicyReadsThem(_ name: String, choices: [SharingChoice], expected: [ExpectedEpisode]) {
    #expect(ConsentEpisode.episodes(choices).map(summary) == expected, "\(name)")
}

// MARK: - Consent

@Test func anOpenBlockIsAnActiveDenyNamingTheOrganisationAndTheLaw() throws {
    let episode = try #require(ConsentEpisode.episodes([choice(41, .block, gpClinic, 0)]).first)
    let consent = FHIRResources.consent(episode, patient: patient, now: at(1))
    #expect(consent["id"] == "consent-41")
    #expect(consent["status"] == "active")
    #expect(consent["meta"]?["versionId"] == "1")
    #expect(consent["meta"]?["lastUpdated"]?.stringValue == Timestamp.string(at(0)))
    #expect(consent["scope"]?["coding"]?[0]?["system"] == "http://terminology.hl7.org/CodeSystem/consentscope")
    #expect(consent["scope"]?["coding"]?[0]?["code"] == "patient-privacy")
    #expect(consent["category"]?[0]?["coding"]?[0]?["system"] == "http://loinc.org")
    #expect(consent["category"]?[0]?["coding"]?[0]?["code"] == "59284-0")
    #expect(consent["patient"]?["reference"] == "Patient/patient-7")
    #expect(consent["dateTime"]?.stringValue == Timestamp.string(at(0)))
    let rule = try #require(consent["policyRule"]?["text"]?.stringValue)
    #expect(rule.contains("§41 stk. 3") && rule.contains("§42a"))
    let provision = try #require(consent["provision"])
    #expect(provision["type"] == "deny")
    #expect(provision["period"]?["start"]?.stringValue == Timestamp.string(at(0)))
    #expect(provision["period"]?["end"] == nil)
    let actor = try #require(provision["actor"]?[0])
    #expect(actor["role"]?["coding"]?[0]?["system"] == "http://terminology.hl7.org/CodeSystem/v3-ParticipationType")
    #expect(actor["role"]?["coding"]?[0]?["code"] == "IRCP")
    #expect(actor["reference"]?["reference"] == "Organization/sor-222222222222222")
    #expect(actor["reference"]?["identifier"]?["system"]?.stringValue == FHIRSystems.sor)
    #expect(actor["reference"]?["identifier"]?["value"] == "222222222222222")
}

@Test(arguments: [
    // (withdrawn after days, read at day, status, version, last updated at day)
    (Double?.none, 10.0, "active", "1", 0.0),
    (Double?.none, 30.0, "inactive", "2", 30.0),
    (5.0, 4.0, "active", "1", 0.0),
    (5.0, 6.0, "inactive", "2", 5.0),
])
func aConsentPermitsUntilWithdrawnOrExpiredAndItsVersionChangesWhenItEnds(withdrawnAfter: Double?, readAt: Double, status: String,
                                                                           version: String, updatedAt: Double) throws {
    var choices = [choice(9, .consent, socialUnit, 0, expiresInDays: 30)]
    if let withdrawnAfter { choices.append(choice(10, .withdrawConsent, socialUnit, withdrawnAfter)) }
    let episode = try #require(ConsentEpisode.episodes(choices).first)
    let consent = FHIRResources.consent(episode, patient: patient, now: at(readAt))
    #expect(consent["status"]?.stringValue == status)
    #expect(consent["meta"]?["versionId"]?.stringValue == version)
    #expect(consent["meta"]?["lastUpdated"]?.stringValue == Timestamp.string(at(updatedAt)))
    #expect(consent["provision"]?["type"] == "permit")
    #expect(consent["provision"]?["period"]?["end"]?.stringValue == Timestamp.string(at(withdrawnAfter ?? 30)))
    #expect(consent["policyRule"]?["text"]?.stringValue?.contains("§43 stk. 1") == true)
}

// MARK: - AuditEvent

private func event(_ kind: AuditEntry.ActorKind, _ action: AuditEntry.Action, what: String, basis: String? = "treatmentRelation") -> StoredAuditEvent {
    StoredAuditEvent(id: 12, entry: AuditEntry(at: at(2), actorKind: kind, actorID: "5", actorRole: "health-professional",
                                               organisationSOR: hospital.sorCode, patientID: patient.id, action: action, what: what,
                                               legalBasis: action == .denied ? nil : basis, outcome: action == .denied ? "denied:blocked" : "allowed"))
}

@Test(arguments: [
    // (event, actor, type system|code, subtype code, action, outcome)
    (event(.staff, .read, what: "patient-overview"), FHIRResources.AuditActor.staff(displayName: "Sofie Sygeplejerske"),
     "http://dicom.nema.org/resources/ontology/DCM|110110", String?.none, "R", "0"),
    (event(.staff, .change, what: "decision"), .protectedStaff, "http://dicom.nema.org/resources/ontology/DCM|110110", nil, "U", "0"),
    (event(.staff, .denied, what: "results"), .staff(displayName: "Sofie Sygeplejerske"),
     "http://dicom.nema.org/resources/ontology/DCM|110110", nil, "R", "4"),
    (event(.apiClient, .read, what: "QuestionnaireResponse/abc"), .apiClient(id: "5"),
     "http://terminology.hl7.org/CodeSystem/audit-event-type|rest", "read", "R", "0"),
    (event(.apiClient, .read, what: "Observation search"), .apiClient(id: "5"),
     "http://terminology.hl7.org/CodeSystem/audit-event-type|rest", "search-type", "R", "0"),
    (event(.apiClient, .change, what: "QuestionnaireResponse/abc"), .apiClient(id: "5"),
     "http://terminology.hl7.org/CodeSystem/audit-event-type|rest", "create", "U", "0"),
])
func anAuditRowBecomesAnAuditEvent(event: StoredAuditEvent, actor: FHIRResources.AuditActor, type: String, subtype: String?,
                                   action: String, outcome: String) throws {
    let audit = FHIRResources.auditEvent(event, patient: patient, organisation: hospital, actor: actor)
    #expect(audit["id"] == "audit-12")
    #expect(audit["meta"]?["versionId"] == "1")
    #expect("\(audit["type"]?["system"]?.stringValue ?? "")|\(audit["type"]?["code"]?.stringValue ?? "")" == type)
    #expect(audit["subtype"]?[0]?["code"]?.stringValue == subtype)
    #expect(audit["action"]?.stringValue == action)
    #expect(audit["outcome"]?.stringValue == outcome)
    #expect(audit["recorded"]?.stringValue == Timestamp.string(at(2)))
    #expect(audit["source"]?["observer"]?["display"] == "ByNeed")
    #expect(audit["entity"]?[0]?["what"]?["reference"] == "Patient/patient-7")
    let agents = try #require(audit["agent"]?.arrayValue)
    #expect(agents.filter { $0["requestor"] == true }.count == 1)
    #expect(agents.contains { $0["who"]?["reference"] == "Organization/sor-999999999999999" })
    #expect(!audit.serialized().contains("denied:blocked"))
}

@Test func aProtectedStaffMemberAppearsAsTheOrganisationOnly() throws {
    let audit = FHIRResources.auditEvent(event(.staff, .read, what: "patient-overview"), patient: patient, organisation: hospital, actor: .protectedStaff)
    let agents = try #require(audit["agent"]?.arrayValue)
    #expect(agents.count == 1)
    #expect(agents[0]["who"]?["reference"] == "Organization/sor-999999999999999")
    #expect(agents[0]["requestor"] == true)
    let named = FHIRResources.auditEvent(event(.staff, .read, what: "patient-overview"), patient: patient, organisation: hospital,
                                         actor: .staff(displayName: "Sofie Sygeplejerske"))
    #expect(named.serialized().contains("Sofie Sygeplejerske"))
}

@Test func anAPIClientIsADeviceAndTheResourceReadIsAnEntity() throws {
    let audit = FHIRResources.auditEvent(event(.apiClient, .read, what: "QuestionnaireResponse/abc"), patient: patient, organisation: hospital,
                                         actor: .apiClient(id: "5"))
    let requestor = try #require(audit["agent"]?.arrayValue?.first { $0["requestor"] == true })
    #expect(requestor["who"]?["type"] == "Device")
    #expect(requestor["who"]?["identifier"]?["system"]?.stringValue == FHIRSystems.apiClient)
    #expect(requestor["who"]?["identifier"]?["value"] == "5")
    #expect(audit["entity"]?[1]?["what"]?["reference"] == "QuestionnaireResponse/abc")
    let purpose = try #require(audit["purposeOfEvent"]?[0])
    #expect(purpose["coding"]?[0]?["code"] == "TREAT")
    #expect(purpose["coding"]?[1]?["system"]?.stringValue == FHIRSystems.legalBasis)
    #expect(purpose["text"]?.stringValue?.contains("§42a stk. 1") == true)
}

// MARK: - Ids, search parameters, capabilities

@Test(arguments: [
    ("Consent", "consent-41", DerivedID.Target?.some(.consent(choiceRow: 41))),
    ("AuditEvent", "audit-12", .auditEvent(row: 12)),
    ("Consent", "audit-12", nil),
    ("AuditEvent", "audit-x", nil),
])
func consentAndAuditIdsReadBack(type: String, id: String, target: DerivedID.Target?) {
    #expect(DerivedID.target(resourceType: type, id: id) == target)
}

private func search(_ type: ResourceType, _ pairs: [(name: String, value: String)]) throws(FHIRError) -> SearchRequest {
    try SearchRequest.parse(resourceType: type, query: pairs)
}

@Test func organisationsAreSearchedBySORCodeAndName() throws {
    #expect(try search(.organization, [("identifier", "urn:oid:1.2.208.176.1.1|222222222222222,333333333333333")]).organizationIdentifiers
        == ["222222222222222", "333333333333333"])
    #expect(try search(.organization, [("identifier", "222222222222222")]).organizationIdentifiers == ["222222222222222"])
    #expect(try search(.organization, [("name", "læge")]).organizationName == "læge")
    #expect(throws: FHIRError.invalidParameter(name: "identifier", value: "urn:oid:1.2.208.176.1.2|2512489996",
                                               reason: "only SOR codes (system urn:oid:1.2.208.176.1.1) identify organisations here")) {
        try search(.organization, [("identifier", "urn:oid:1.2.208.176.1.2|2512489996")])
    }
}

@Test func consentAndAuditEventTakeTheirOwnParametersOnly() throws {
    #expect(try search(.consent, [("patient:identifier", "urn:oid:1.2.208.176.1.2|2512489996"), ("status", "active")]).statuses == ["active"])
    #expect(try search(.auditEvent, [("patient", "Patient/patient-7"), ("date", "ge2026-01-01"), ("date", "le2026-12-31")]).dates.count == 2)
    #expect(throws: FHIRError.unknownParameters(["subject"])) { try search(.consent, [("subject", "Patient/patient-7")]) }
    #expect(throws: FHIRError.unknownParameters(["status"])) { try search(.auditEvent, [("status", "active")]) }
}

@Test func theStatementAdvertisesConsentAndAuditEventAsServed() throws {
    let statement = FHIRCapabilities.capabilityStatement(baseURL: "http://x/fhir", softwareVersion: "1", date: start)
    let resources = try #require(statement["rest"]?[0]?["resource"]?.arrayValue)
    for type in ["Consent", "AuditEvent", "Organization"] {
        let row = try #require(resources.first { $0["type"]?.stringValue == type })
        #expect(Set(row["interaction"]?.arrayValue?.compactMap { $0["code"]?.stringValue } ?? []) == ["read", "vread", "search-type"])
        #expect(row["documentation"]?.stringValue?.isEmpty == false)
    }
    let audit = try #require(resources.first { $0["type"] == "AuditEvent" })
    #expect(audit["searchParam"]?.arrayValue?.first { $0["name"] == "patient" }?["documentation"]?.stringValue?.hasPrefix("Required") == true)
}

@Test func aMissingRequiredParameterIsA400NamingIt() {
    let error = FHIRError.missingParameter(name: "patient", reason: "AuditEvents are listed for one patient at a time")
    #expect(error.httpStatus == 400)
    #expect(error.operationOutcome.json["issue"]?[0]?["code"] == "required")
    #expect(error.operationOutcome.json["issue"]?[0]?["expression"]?[0] == "patient")
}
