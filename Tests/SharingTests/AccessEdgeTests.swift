import Foundation
import Testing
@testable import Sharing

// MARK: - Edge times: half-open periods, the one-year consent limit

struct EdgeCase: Sendable, CustomTestStringConvertible {
    let name: String
    let actor: Actor
    let state: PatientSharingState
    let expected: AccessDecision
    var testDescription: String { name }
}

private let gpActor = Fixture.staff(.healthProfessional, at: Fixture.gp)
private let hospitalActor = Fixture.staff(.healthProfessional, at: Fixture.hospital)
private let socialActor = Fixture.staff(.municipalNonHealthStaff, at: Fixture.socialServices)
private let now = Fixture.now
private let second: TimeInterval = 1
private let gpRelation = Fixture.relation(Fixture.gp, .generalPractitioner)

@Test(arguments: [
    EdgeCase(name: "relation that ends exactly now is over", actor: hospitalActor,
             state: Fixture.state(relations: [Fixture.relation(Fixture.hospital, .responsibleDepartment, end: now)]),
             expected: .notFound(.noTreatmentRelation)),
    EdgeCase(name: "relation that ends a second from now still holds", actor: hospitalActor,
             state: Fixture.state(relations: [Fixture.relation(Fixture.hospital, .responsibleDepartment,
                                                               end: now.addingTimeInterval(second))]),
             expected: .allowed(.treatmentRelation)),
    EdgeCase(name: "relation that starts exactly now holds", actor: hospitalActor,
             state: Fixture.state(relations: [Fixture.relation(Fixture.hospital, .responsibleDepartment, start: now)]),
             expected: .allowed(.treatmentRelation)),
    EdgeCase(name: "relation that starts tomorrow does not hold yet", actor: hospitalActor,
             state: Fixture.state(relations: [Fixture.relation(Fixture.hospital, .responsibleDepartment, start: Fixture.tomorrow)]),
             expected: .notFound(.noTreatmentRelation)),
    EdgeCase(name: "ended relation plus a current one holds", actor: gpActor,
             state: Fixture.state(relations: [Fixture.relation(Fixture.gp, .generalPractitioner, end: Fixture.yesterday),
                                              gpRelation]),
             expected: .allowed(.treatmentRelation)),
    EdgeCase(name: "consent that expires exactly now has lapsed", actor: socialActor,
             state: Fixture.state(consents: [Fixture.consent(Fixture.socialServices, expiresAt: now)]),
             expected: .notFound(.noConsent)),
    EdgeCase(name: "consent given exactly now holds", actor: socialActor,
             state: Fixture.state(consents: [Fixture.consent(Fixture.socialServices, givenAt: now)]),
             expected: .allowed(.consent)),
    EdgeCase(name: "consent given tomorrow does not hold yet", actor: socialActor,
             state: Fixture.state(consents: [Fixture.consent(Fixture.socialServices, givenAt: Fixture.tomorrow,
                                                             expiresAt: Fixture.nextMonth)]),
             expected: .notFound(.noConsent)),
    EdgeCase(name: "consent withdrawn exactly now has ended", actor: socialActor,
             state: Fixture.state(consents: [Fixture.consent(Fixture.socialServices, withdrawnAt: now)]),
             expected: .notFound(.noConsent)),
    EdgeCase(name: "consent with a withdrawal recorded for tomorrow holds today", actor: socialActor,
             state: Fixture.state(consents: [Fixture.consent(Fixture.socialServices, withdrawnAt: Fixture.tomorrow)]),
             expected: .allowed(.consent)),
    EdgeCase(name: "consent recorded for two years lapses after 365 days", actor: socialActor,
             state: Fixture.state(consents: [Fixture.consent(Fixture.socialServices, givenAt: now.addingTimeInterval(-365 * Fixture.day),
                                                             expiresAt: now.addingTimeInterval(365 * Fixture.day))]),
             expected: .notFound(.noConsent)),
    EdgeCase(name: "consent recorded for two years holds on day 364", actor: socialActor,
             state: Fixture.state(consents: [Fixture.consent(Fixture.socialServices, givenAt: now.addingTimeInterval(-364 * Fixture.day),
                                                             expiresAt: now.addingTimeInterval(365 * Fixture.day))]),
             expected: .allowed(.consent)),
    EdgeCase(name: "consent to another unit does not count", actor: socialActor,
             state: Fixture.state(consents: [Fixture.consent(Fixture.municipalHealth)]),
             expected: .notFound(.noConsent)),
    EdgeCase(name: "block until yesterday no longer applies", actor: gpActor,
             state: Fixture.state(relations: [gpRelation], blocks: [Fixture.block(Fixture.gp, until: Fixture.yesterday)]),
             expected: .allowed(.treatmentRelation)),
    EdgeCase(name: "block until exactly now no longer applies", actor: gpActor,
             state: Fixture.state(relations: [gpRelation], blocks: [Fixture.block(Fixture.gp, until: now)]),
             expected: .allowed(.treatmentRelation)),
    EdgeCase(name: "block from exactly now applies", actor: gpActor,
             state: Fixture.state(relations: [gpRelation], blocks: [Fixture.block(Fixture.gp, from: now)]),
             expected: .notFound(.blocked)),
    EdgeCase(name: "block from tomorrow does not apply yet", actor: gpActor,
             state: Fixture.state(relations: [gpRelation], blocks: [Fixture.block(Fixture.gp, from: Fixture.tomorrow)]),
             expected: .allowed(.treatmentRelation)),
    EdgeCase(name: "block until next month applies", actor: gpActor,
             state: Fixture.state(relations: [gpRelation], blocks: [Fixture.block(Fixture.gp, until: Fixture.nextMonth)]),
             expected: .notFound(.blocked)),
    EdgeCase(name: "block against another organisation does not apply", actor: gpActor,
             state: Fixture.state(relations: [gpRelation], blocks: [Fixture.block(Fixture.hospital)]),
             expected: .allowed(.treatmentRelation)),
    EdgeCase(name: "block overrides an active consent", actor: socialActor,
             state: Fixture.state(blocks: [Fixture.block(Fixture.socialServices, from: Fixture.yesterday)],
                                  consents: [Fixture.consent(Fixture.socialServices, givenAt: now)]),
             expected: .notFound(.blocked)),
    EdgeCase(name: "relation of another department of the same kind grants nothing", actor: hospitalActor,
             state: Fixture.state(relations: [Fixture.relation(Fixture.otherHospital, .responsibleDepartment)]),
             expected: .notFound(.noTreatmentRelation)),
    EdgeCase(name: "relation recorded with a kind the organisation cannot hold grants nothing", actor: hospitalActor,
             state: Fixture.state(relations: [Fixture.relation(Fixture.hospital, .generalPractitioner)]),
             expected: .notFound(.noTreatmentRelation)),
])
func edgeTimesAndScopes(testCase: EdgeCase) {
    #expect(AccessPolicy.decide(actor: testCase.actor, patient: testCase.state, data: .results, now: now) == testCase.expected)
}

// MARK: - Denial reasons (audit only) and the single outward result

struct DenialCase: Sendable, CustomTestStringConvertible {
    let name: String
    let actor: Actor
    let state: PatientSharingState?
    let data: DataKind
    let purpose: Purpose
    let reason: AccessDecision.Denial
    var testDescription: String { name }
}

private let emergency = Purpose.emergency(reason: "Akut indlagt, bevidstløs")

@Test(arguments: [
    DenialCase(name: "unknown patient", actor: hospitalActor, state: nil, data: .results, purpose: .routine,
               reason: .unknownPatient),
    DenialCase(name: "unknown patient in an emergency", actor: hospitalActor, state: nil, data: .results,
               purpose: emergency, reason: .unknownPatient),
    DenialCase(name: "patient reading someone else", actor: .patient(Fixture.otherPatientID), state: Fixture.state(),
               data: .results, purpose: .routine, reason: .notOwnData),
    DenialCase(name: "analyst reading results", actor: Fixture.staff(.analyst, at: Fixture.hospital),
               state: Fixture.state(relations: [Fixture.relation(Fixture.hospital, .responsibleDepartment)]),
               data: .results, purpose: .routine, reason: .roleNotPermitted),
    DenialCase(name: "staff reading an access log", actor: hospitalActor,
               state: Fixture.state(relations: [Fixture.relation(Fixture.hospital, .responsibleDepartment)]),
               data: .accessLog, purpose: .routine, reason: .roleNotPermitted),
    DenialCase(name: "blocked GP reading decisions", actor: gpActor,
               state: Fixture.state(relations: [gpRelation], blocks: [Fixture.block(Fixture.gp)]),
               data: .decisions, purpose: .routine, reason: .blocked),
    DenialCase(name: "consented unit reading decisions", actor: socialActor,
               state: Fixture.state(consents: [Fixture.consent(Fixture.socialServices)]),
               data: .decisions, purpose: .routine, reason: .notShared),
    DenialCase(name: "health professional without relation", actor: hospitalActor, state: Fixture.state(),
               data: .results, purpose: .routine, reason: .noTreatmentRelation),
    DenialCase(name: "emergency with a blank reason", actor: hospitalActor, state: Fixture.state(),
               data: .results, purpose: .emergency(reason: "\t "), reason: .emergencyReasonMissing),
    DenialCase(name: "emergency against a block", actor: hospitalActor,
               state: Fixture.state(blocks: [Fixture.block(Fixture.hospital)]),
               data: .results, purpose: emergency, reason: .blocked),
    DenialCase(name: "emergency by an API client", actor: .apiClient(APIClient(id: "epj", organisation: Fixture.hospital)),
               state: Fixture.state(), data: .results, purpose: emergency, reason: .emergencyNotPermitted),
    DenialCase(name: "emergency by municipal health staff", actor: Fixture.staff(.municipalHealthStaff, at: Fixture.municipalHealth),
               state: Fixture.state(), data: .results, purpose: emergency, reason: .emergencyNotPermitted),
    DenialCase(name: "emergency by non-health staff", actor: socialActor, state: Fixture.state(),
               data: .results, purpose: emergency, reason: .noConsent),
    DenialCase(name: "patient reading configuration", actor: .patient(Fixture.patientID), state: nil,
               data: .configuration, purpose: .routine, reason: .roleNotPermitted),
])
func denialsAreNotFoundWithAnAuditReason(testCase: DenialCase) {
    let decision = AccessPolicy.decide(actor: testCase.actor, patient: testCase.state, data: testCase.data,
                                       purpose: testCase.purpose, now: now)
    #expect(decision == .notFound(testCase.reason))
    #expect(!decision.isAllowed)
    #expect(decision.legalBasis == nil)
    #expect(decision.auditCode == "denied:\(testCase.reason.rawValue)")
}

@Test(arguments: ActorKind.allCases, DataKind.allCases.filter(\.isPatientLevel))
func missingPatientLooksLikeAnyOtherRefusal(actor: ActorKind, data: DataKind) {
    let decision = AccessPolicy.decide(actor: actor.actor, patient: nil, data: data, purpose: emergency, now: now)
    #expect(decision == .notFound(.unknownPatient))
}

@Test func nonPatientDataIgnoresThePatient() {
    let admin = Fixture.staff(.administrator, at: Fixture.hospital)
    #expect(AccessPolicy.decide(actor: admin, patient: nil, data: .configuration, now: now) == .allowed(.noPersonalData))
    #expect(AccessPolicy.decide(actor: socialActor, patient: nil, data: .aggregates, now: now) == .allowed(.aggregate))
}

// MARK: - Emergency access is flagged and carries its reason

@Test func emergencyAccessIsFlaggedWithTrimmedReason() {
    let decision = AccessPolicy.decide(actor: gpActor, patient: Fixture.state(), data: .decisions,
                                       purpose: .emergency(reason: "  Kramper, ingen kontakt til afdelingen \n"), now: now)
    #expect(decision == .emergency(reason: "Kramper, ingen kontakt til afdelingen"))
    #expect(decision.isAllowed && decision.isEmergency)
    #expect(decision.legalBasis == .vitalInterest)
    #expect(decision.auditCode == "emergency:vitalInterest")
}

@Test func emergencyPurposeWithARelationIsOrdinaryAccess() {
    let state = Fixture.state(relations: [Fixture.relation(Fixture.hospital, .responsibleDepartment)])
    let decision = AccessPolicy.decide(actor: hospitalActor, patient: state, data: .results, purpose: emergency, now: now)
    #expect(decision == .allowed(.treatmentRelation))
    #expect(!decision.isEmergency)
}

@Test func responsibleDepartmentIsNotStoppedByABlockButOthersAre() {
    let state = Fixture.state(relations: [Fixture.relation(Fixture.hospital, .responsibleDepartment), gpRelation],
                              blocks: [Fixture.block(Fixture.hospital), Fixture.block(Fixture.gp)])
    #expect(AccessPolicy.decide(actor: hospitalActor, patient: state, data: .results, now: now) == .allowed(.treatmentRelation))
    #expect(AccessPolicy.decide(actor: gpActor, patient: state, data: .results, now: now) == .notFound(.blocked))
}

// MARK: - Audit codes and legal bases

@Test(arguments: LegalBasis.allCases)
func everyLegalBasisHasACitationAndAuditCode(basis: LegalBasis) {
    #expect(!basis.citation.isEmpty)
    #expect(AccessDecision.allowed(basis).auditCode == "allowed:\(basis.rawValue)")
}

// MARK: - Protected staff in the patient's access log

@Test func protectedStaffAppearByOrganisationOnly() {
    let protected = StaffUser(id: "s-9", organisation: Fixture.municipalHealth, role: .municipalHealthStaff, isProtected: true)
    let ordinary = StaffUser(id: "s-8", organisation: Fixture.gp, role: .healthProfessional)
    #expect(AccessPolicy.accessLogLabel(for: protected) == .organisationOnly(Fixture.municipalHealth.sor))
    #expect(AccessPolicy.accessLogLabel(for: ordinary) == .named(staffID: "s-8", organisation: Fixture.gp.sor))
}

// MARK: - API client role mapping

@Test(arguments: [
    (Organisation.Kind.hospitalDepartment, StaffUser.Role.healthProfessional),
    (.gpClinic, .healthProfessional),
    (.municipalHealthUnit, .municipalHealthStaff),
    (.municipalSocialServicesUnit, .municipalNonHealthStaff),
])
func apiClientRoleFollowsOrganisationKind(kind: Organisation.Kind, role: StaffUser.Role) {
    #expect(APIClient(id: "c", organisation: Organisation(sor: SORCode("x"), kind: kind)).role == role)
}
