import Foundation
import Testing
@testable import Sharing

// The full matrix: every actor kind × relation (none/active/ended) × block × consent
// (none/active/expired/withdrawn) × purpose × data kind, generated, and compared with an
// expectation table written independently of the implementation as rule strings.

// MARK: - Dimensions

enum ActorKind: String, CaseIterable, Sendable {
    case hospitalProfessional, protectedHospitalProfessional, gpProfessional, municipalHealthStaff,
         municipalNonHealthStaff, administrator, analyst,
         hospitalAPI, gpAPI, municipalHealthAPI, socialServicesAPI,
         patientSelf, otherPatient

    /// The organisation whose relation, block and consent the matrix varies (the hospital for
    /// patients, who belong to none).
    var organisation: Organisation {
        switch self {
        case .hospitalProfessional, .protectedHospitalProfessional, .administrator, .analyst, .hospitalAPI,
             .patientSelf, .otherPatient: Fixture.hospital
        case .gpProfessional, .gpAPI: Fixture.gp
        case .municipalHealthStaff, .municipalHealthAPI: Fixture.municipalHealth
        case .municipalNonHealthStaff, .socialServicesAPI: Fixture.socialServices
        }
    }

    /// The relation kind the matrix records for the organisation; a social-services unit
    /// gets a municipal-health relation, a recording error the policy must not honour.
    var relationKind: TreatmentRelation.Kind {
        switch organisation.kind {
        case .hospitalDepartment: .responsibleDepartment
        case .gpClinic: .generalPractitioner
        case .municipalHealthUnit, .municipalSocialServicesUnit: .municipalHealthUnit
        }
    }

    var actor: Actor {
        switch self {
        case .hospitalProfessional: Fixture.staff(.healthProfessional, at: organisation)
        case .protectedHospitalProfessional: Fixture.staff(.healthProfessional, at: organisation, protected: true)
        case .gpProfessional: Fixture.staff(.healthProfessional, at: organisation)
        case .municipalHealthStaff: Fixture.staff(.municipalHealthStaff, at: organisation)
        case .municipalNonHealthStaff: Fixture.staff(.municipalNonHealthStaff, at: organisation)
        case .administrator: Fixture.staff(.administrator, at: organisation)
        case .analyst: Fixture.staff(.analyst, at: organisation)
        case .hospitalAPI, .gpAPI, .municipalHealthAPI, .socialServicesAPI:
            .apiClient(APIClient(id: "api-\(rawValue)", organisation: organisation))
        case .patientSelf: .patient(Fixture.patientID)
        case .otherPatient: .patient(Fixture.otherPatientID)
        }
    }
}

enum RelationState: String, CaseIterable, Sendable { case none, active, ended }
enum ConsentState: String, CaseIterable, Sendable { case none, active, expired, withdrawn }
enum PurposeCase: String, CaseIterable, Sendable {
    case routine, emergencyWithReason, emergencyBlankReason

    var purpose: Purpose {
        switch self {
        case .routine: .routine
        case .emergencyWithReason: .emergency(reason: "Bevidstløs i akutmodtagelsen")
        case .emergencyBlankReason: .emergency(reason: " \n ")
        }
    }
}

struct MatrixCase: Sendable, CustomTestStringConvertible {
    let actor: ActorKind
    let relation: RelationState
    let blocked: Bool
    let consent: ConsentState
    let purpose: PurposeCase
    let data: DataKind

    var testDescription: String {
        "\(actor) relation:\(relation) blocked:\(blocked) consent:\(consent) \(purpose) \(data)"
    }

    var patientState: PatientSharingState {
        let organisation = actor.organisation
        var relations = [TreatmentRelation]()
        switch relation {
        case .none: break
        case .active: relations.append(Fixture.relation(organisation, actor.relationKind))
        case .ended: relations.append(Fixture.relation(organisation, actor.relationKind, end: Fixture.yesterday))
        }
        var consents = [Consent]()
        switch consent {
        case .none: break
        case .active: consents.append(Fixture.consent(organisation))
        case .expired: consents.append(Fixture.consent(organisation, expiresAt: Fixture.yesterday))
        case .withdrawn: consents.append(Fixture.consent(organisation, withdrawnAt: Fixture.yesterday))
        }
        return Fixture.state(relations: relations, blocks: blocked ? [Fixture.block(organisation)] : [],
                             consents: consents)
    }

    static let all: [MatrixCase] = ActorKind.allCases.flatMap { actor in
        RelationState.allCases.flatMap { relation in
            [false, true].flatMap { blocked in
                ConsentState.allCases.flatMap { consent in
                    PurposeCase.allCases.flatMap { purpose in
                        DataKind.allCases.map {
                            MatrixCase(actor: actor, relation: relation, blocked: blocked, consent: consent,
                                       purpose: purpose, data: $0)
                        }
                    }
                }
            }
        }
    }
}

// MARK: - Expectation table

/// Rule strings per actor and data kind, alternatives separated by `|`, first match wins:
/// - `R`  active relation (a block does not matter)        → treatment relation
/// - `RB` active relation and no block                     → treatment relation
/// - `CB` active consent and no block                      → consent
/// - `E`  no active relation, emergency with a reason, no block → emergency
/// - `O`  own data → own data;  `A` → aggregate;  `X` → no personal data;  `-` → not found
private let expectations: [ActorKind: [DataKind: String]] = {
    func row(_ results: String, _ identity: String, _ decisions: String, _ accessLog: String,
             _ aggregates: String, _ configuration: String) -> [DataKind: String] {
        [.results: results, .identity: identity, .decisions: decisions, .accessLog: accessLog,
         .aggregates: aggregates, .configuration: configuration]
    }
    return [
        //                                  results   identity  decisions accessLog aggregates config
        .hospitalProfessional:          row("R|E",    "R|E",    "R|E",    "-",      "A",       "-"),
        .protectedHospitalProfessional: row("R|E",    "R|E",    "R|E",    "-",      "A",       "-"),
        .gpProfessional:                row("RB|E",   "RB|E",   "RB|E",   "-",      "A",       "-"),
        .municipalHealthStaff:          row("RB",     "RB",     "RB",     "-",      "A",       "-"),
        .municipalNonHealthStaff:       row("CB",     "CB",     "-",      "-",      "A",       "-"),
        .administrator:                 row("-",      "-",      "-",      "-",      "A",       "X"),
        .analyst:                       row("-",      "-",      "-",      "-",      "A",       "-"),
        .hospitalAPI:                   row("R",      "R",      "R",      "-",      "A",       "-"),
        .gpAPI:                         row("RB",     "RB",     "RB",     "-",      "A",       "-"),
        .municipalHealthAPI:            row("RB",     "RB",     "RB",     "-",      "A",       "-"),
        .socialServicesAPI:             row("CB",     "CB",     "-",      "-",      "A",       "-"),
        .patientSelf:                   row("O",      "O",      "O",      "O",      "-",       "-"),
        .otherPatient:                  row("-",      "-",      "-",      "-",      "-",       "-"),
    ]
}()

enum Expected: Equatable, CustomStringConvertible {
    case allowed(LegalBasis)
    case emergency
    case notFound

    var description: String {
        switch self {
        case .allowed(let basis): "allowed(\(basis))"
        case .emergency: "emergency"
        case .notFound: "notFound"
        }
    }

    init(_ decision: AccessDecision) {
        switch decision {
        case .allowed(let basis): self = .allowed(basis)
        case .emergency: self = .emergency
        case .notFound: self = .notFound
        }
    }
}

private func expected(for testCase: MatrixCase) -> Expected {
    let rules = expectations[testCase.actor]![testCase.data]!
    for rule in rules.split(separator: "|") {
        switch rule {
        case "R" where testCase.relation == .active:
            return .allowed(.treatmentRelation)
        case "RB" where testCase.relation == .active && !testCase.blocked:
            return .allowed(.treatmentRelation)
        case "CB" where testCase.consent == .active && !testCase.blocked:
            return .allowed(.consent)
        case "E" where testCase.relation != .active && testCase.purpose == .emergencyWithReason && !testCase.blocked:
            return .emergency
        case "O": return .allowed(.ownData)
        case "A": return .allowed(.aggregate)
        case "X": return .allowed(.noPersonalData)
        default: continue
        }
    }
    return .notFound
}

// MARK: - Tests

@Test func matrixCoversEveryCombination() {
    #expect(MatrixCase.all.count == 13 * 3 * 2 * 4 * 3 * 6)
    #expect(Set(expectations.keys) == Set(ActorKind.allCases))
}

@Test(arguments: MatrixCase.all)
func accessMatrixMatchesExpectationTable(testCase: MatrixCase) {
    let decision = AccessPolicy.decide(actor: testCase.actor.actor, patient: testCase.patientState,
                                       data: testCase.data, purpose: testCase.purpose.purpose, now: Fixture.now)
    #expect(Expected(decision) == expected(for: testCase))
    #expect(decision.isAllowed == (decision.legalBasis != nil))
    #expect(decision.isEmergency == (decision.legalBasis == .vitalInterest))
}

@Test func matrixExercisesEveryOutcome() {
    var outcomes = Set<String>()
    for testCase in MatrixCase.all { outcomes.insert(expected(for: testCase).description) }
    let everyOutcome = Set(LegalBasis.allCases.filter { $0 != .vitalInterest }.map { Expected.allowed($0).description })
        .union([Expected.emergency.description, Expected.notFound.description])
    #expect(outcomes == everyOutcome)
}
