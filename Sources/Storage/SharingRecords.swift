import Foundation
import Sharing
import SQLite

public enum TreatmentRelationTable {}
public typealias TreatmentRelationID = RowID<TreatmentRelationTable>

/// A treatment relation as stored: the organisation's row and SOR code with the relation.
public struct StoredRelation: Sendable, Hashable {
    public let id: TreatmentRelationID
    public let organisation: Department
    public let relation: TreatmentRelation
}

/// A patient's sharing choice as stored: block or unblock an organisation, give or withdraw
/// consent; who made it, when, and through which channel (the patient's page, staff on the phone).
public struct SharingChoice: Sendable, Hashable {
    /// The `sharing_choices` row: choices are never changed, so it names the choice for good.
    public let id: Int64
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case block, unblock, consent
        case withdrawConsent = "withdraw-consent"
    }

    public let patientID: PatientID
    public let organisation: Department
    public let kind: Kind
    public let at: Date
    /// For a consent: when it ends by itself (at most a year after it was given).
    public let expiresAt: Date?
    public let channel: String
    public let actor: String
}

/// Reads and writes `treatment_relations` and `sharing_choices`, and turns them into the
/// access policy's `PatientSharingState`.
public enum SharingRecords {
    /// Starts a relation unless the same organisation already has an active one of that kind.
    public static func relate(_ db: Connection, patientID: PatientID, organisation: Department, kind: TreatmentRelation.Kind,
                              from start: Date, by actor: String) throws {
        guard try db.queryOne("""
            SELECT 1 FROM treatment_relations WHERE patient_id = ? AND organisation_id = ? AND kind = ? AND end_at IS NULL
            """, [.integer(patientID.rawValue), .integer(organisation.id.rawValue), .text(kind.rawValue)]) == nil else { return }
        try db.run("""
            INSERT INTO treatment_relations (patient_id, organisation_id, kind, start_at, recorded_by) VALUES (?, ?, ?, ?, ?)
            """, [.integer(patientID.rawValue), .integer(organisation.id.rawValue), .text(kind.rawValue),
                  .text(Timestamp.string(start)), .text(actor)])
    }

    /// Ends the active relations of `kind` between the patient and the organisation.
    public static func endRelations(_ db: Connection, patientID: PatientID, organisationID: DepartmentID, kind: TreatmentRelation.Kind,
                                    at end: Date) throws {
        try db.run("""
            UPDATE treatment_relations SET end_at = ? WHERE patient_id = ? AND organisation_id = ? AND kind = ? AND end_at IS NULL
            """, [.text(Timestamp.string(end)), .integer(patientID.rawValue), .integer(organisationID.rawValue), .text(kind.rawValue)])
    }

    /// Every relation of a patient, oldest first.
    public static func relations(_ db: Connection, _ patientID: PatientID) throws -> [StoredRelation] {
        var departments = DepartmentCache(db)
        return try db.query("SELECT * FROM treatment_relations WHERE patient_id = ? ORDER BY id", [.integer(patientID.rawValue)])
            .map { try relation($0, &departments) }
    }

    /// A `treatment_relations` row.
    static func relation(_ row: Row, _ departments: inout DepartmentCache) throws -> StoredRelation {
        let table = "treatment_relations"
        guard let kind = TreatmentRelation.Kind(rawValue: try row.string("kind")) else {
            throw StorageError.corruptValue(table: table, column: "kind")
        }
        guard let organisation = try departments.find(DepartmentID(rawValue: try row.int("organisation_id"))) else {
            throw StorageError.corruptValue(table: table, column: "organisation_id")
        }
        return StoredRelation(id: TreatmentRelationID(rawValue: try row.int("id")), organisation: organisation,
                              relation: TreatmentRelation(organisation: SORCode(organisation.sorCode), kind: kind,
                                                          start: try timestamp(row, "start_at", table: table),
                                                          end: try optionalTimestamp(row, "end_at", table: table)))
    }

    /// Records a choice. A consent lasts at most `Consent.maximumDuration` (a year) and says so.
    public static func record(_ db: Connection, patientID: PatientID, organisation: Department, kind: SharingChoice.Kind, at now: Date,
                              expiresAt: Date? = nil, channel: String, actor: String) throws {
        let expiry = kind == .consent ? min(expiresAt ?? .distantFuture, now.addingTimeInterval(Consent.maximumDuration)) : nil
        try db.run("""
            INSERT INTO sharing_choices (patient_id, organisation_id, choice, at, expires_at, channel, actor) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.integer(patientID.rawValue), .integer(organisation.id.rawValue), .text(kind.rawValue), .text(Timestamp.string(now)),
                  expiry.map { .text(Timestamp.string($0)) } ?? .null, .text(channel), .text(actor)])
    }

    /// A patient's choices, oldest first: the history the patient and staff can see.
    public static func choices(_ db: Connection, _ patientID: PatientID) throws -> [SharingChoice] {
        var departments = DepartmentCache(db)
        return try db.query("SELECT * FROM sharing_choices WHERE patient_id = ? ORDER BY id", [.integer(patientID.rawValue)])
            .map { try choice($0, &departments) }
    }

    /// A `sharing_choices` row.
    static func choice(_ row: Row, _ departments: inout DepartmentCache) throws -> SharingChoice {
        let table = "sharing_choices"
        guard let kind = SharingChoice.Kind(rawValue: try row.string("choice")) else {
            throw StorageError.corruptValue(table: table, column: "choice")
        }
        guard let organisation = try departments.find(DepartmentID(rawValue: try row.int("organisation_id"))) else {
            throw StorageError.corruptValue(table: table, column: "organisation_id")
        }
        return SharingChoice(id: try row.int("id"), patientID: PatientID(rawValue: try row.int("patient_id")), organisation: organisation, kind: kind,
                             at: try timestamp(row, "at", table: table), expiresAt: try optionalTimestamp(row, "expires_at", table: table),
                             channel: try row.string("channel"), actor: try row.string("actor"))
    }

    /// The patient's current sharing state for the access policy, read fresh for every
    /// decision so a change takes effect on the next request, in sessions already open too.
    /// Choices replay in order: a block lasts until the next unblock of that organisation, a
    /// consent until it is withdrawn or expires.
    public static func state(_ db: Connection, _ patientID: PatientID) throws -> PatientSharingState {
        state(patientID, relations: try relations(db, patientID).map(\.relation), choices: try choices(db, patientID))
    }

    /// The sharing state of every patient with a treatment relation to `organisationID`, or a
    /// consent naming it, by patient: the only patients an organisation-level reader such as
    /// an API client can reach. Three queries however many patients there are.
    public static func statesReachable(from organisationID: DepartmentID, _ db: Connection) throws -> [PatientID: PatientSharingState] {
        let reachable = """
            SELECT patient_id FROM treatment_relations WHERE organisation_id = ?1
            UNION SELECT patient_id FROM sharing_choices WHERE organisation_id = ?1 AND choice = 'consent'
            """
        let parameters: [SQLValue] = [.integer(organisationID.rawValue)]
        var departments = DepartmentCache(db)
        var relations: [PatientID: [TreatmentRelation]] = [:]
        for row in try db.query("SELECT * FROM treatment_relations WHERE patient_id IN (\(reachable)) ORDER BY patient_id, id", parameters) {
            relations[PatientID(rawValue: try row.int("patient_id")), default: []].append(try relation(row, &departments).relation)
        }
        var choices: [PatientID: [SharingChoice]] = [:]
        for row in try db.query("SELECT * FROM sharing_choices WHERE patient_id IN (\(reachable)) ORDER BY patient_id, id", parameters) {
            let choice = try choice(row, &departments)
            choices[choice.patientID, default: []].append(choice)
        }
        var states: [PatientID: PatientSharingState] = [:]
        for patientID in try db.query(reachable, parameters).map({ PatientID(rawValue: try $0.int("patient_id")) }) {
            states[patientID] = state(patientID, relations: relations[patientID] ?? [], choices: choices[patientID] ?? [])
        }
        return states
    }

    /// The state from a patient's relations and choices, each oldest first.
    static func state(_ patientID: PatientID, relations: [TreatmentRelation], choices: [SharingChoice]) -> PatientSharingState {
        var blocks: [SharingBlock] = []
        var consents: [Consent] = []
        var openBlocks: [String: Date] = [:]
        var openConsents: [String: (given: Date, expires: Date)] = [:]
        for choice in choices {
            let sor = choice.organisation.sorCode
            switch choice.kind {
            case .block:
                if openBlocks[sor] == nil { openBlocks[sor] = choice.at }
            case .unblock:
                if let from = openBlocks.removeValue(forKey: sor) { blocks.append(SharingBlock(organisation: SORCode(sor), from: from, until: choice.at)) }
            case .consent:
                if let open = openConsents[sor] { consents.append(Consent(organisation: SORCode(sor), givenAt: open.given, expiresAt: open.expires, withdrawnAt: choice.at)) }
                openConsents[sor] = (choice.at, choice.expiresAt ?? choice.at.addingTimeInterval(Consent.maximumDuration))
            case .withdrawConsent:
                if let open = openConsents.removeValue(forKey: sor) {
                    consents.append(Consent(organisation: SORCode(sor), givenAt: open.given, expiresAt: open.expires, withdrawnAt: choice.at))
                }
            }
        }
        blocks += openBlocks.map { SharingBlock(organisation: SORCode($0.key), from: $0.value) }
        consents += openConsents.map { Consent(organisation: SORCode($0.key), givenAt: $0.value.given, expiresAt: $0.value.expires) }
        return PatientSharingState(patient: PatientReference(String(patientID.rawValue)), relations: relations, blocks: blocks, consents: consents)
    }
}

/// Departments by row id, each read once: the few organisations a batch of sharing rows names.
struct DepartmentCache {
    private let db: Connection
    private var known: [DepartmentID: Department] = [:]

    init(_ db: Connection) {
        self.db = db
    }

    mutating func find(_ id: DepartmentID) throws -> Department? {
        if let department = known[id] { return department }
        let found = try Departments.find(db, id: id)
        known[id] = found
        return found
    }
}
