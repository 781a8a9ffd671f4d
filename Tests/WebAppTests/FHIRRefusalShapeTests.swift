import Foundation
import Testing
@testable import WebApp

/// A refused read must be indistinguishable from a read of an id that does not exist, however
/// the client spells the id (docs/access-policy.md, judgement call 10: "Not found hides
/// existence"). RFC 3986 §2.1 lets a client percent-encode any character of a path segment;
/// the answer must then echo the id the same way for a hidden resource as for a missing one.
@Suite struct FHIRRefusalShapeTests {
    /// `id` with its first character percent-encoded (`patient-1` → `%70atient-1`).
    static func encodingFirstCharacter(_ id: String) -> String {
        guard let first = id.utf8.first else { return id }
        return String(format: "%%%02X", first) + id.dropFirst()
    }

    /// `body` with the id as requested and as decoded named apart, so the comparison sees which
    /// of the two the server echoed.
    static func normalised(_ body: String, requested: String, decoded: String) -> String {
        body.replacingOccurrences(of: requested, with: "{requested}").replacingOccurrences(of: decoded, with: "{decoded}")
    }

    @Test func aHiddenResourceReadWithAnEncodedIdAnswersLikeAMissingOne() async throws {
        let matrix = try await FHIRAccessMatrix(kinds: [FHIRAccessMatrix.PatientKind(gpBlocked: true)])
        let (_, token) = try await matrix.token(.gp)
        let headers = ["Authorization: Bearer \(token)", "Accept: application/fhir+json"]
        let rows = FHIRAccessMatrix.Resource.all.flatMap { resource in
            (matrix.cases[0].rows[resource.type] ?? []).map { (type: resource.type, id: $0.id) }
        }
        let unknown = FHIRAccessMatrix.Resource.all.map { (type: $0.type, id: FHIRAccessMatrix.unknownID) }
        let probes = rows + unknown
        let answers = try await matrix.serving { base in
            try await CurlBatch.get(probes.map { "\(base)/fhir/\($0.type)/\(Self.encodingFirstCharacter($0.id))" }, headers: headers)
        }
        #expect(rows.count == 7)
        var shapes: [String: String] = [:]
        for (probe, answer) in zip(probes, answers) where probe.id == FHIRAccessMatrix.unknownID {
            #expect(answer.status == 404)
            shapes[probe.type] = Self.normalised(answer.body, requested: Self.encodingFirstCharacter(probe.id), decoded: probe.id)
        }
        for (probe, answer) in zip(probes, answers) where probe.id != FHIRAccessMatrix.unknownID {
            #expect(answer.status == 404, "\(probe.type)/\(probe.id)")
            let shape = Self.normalised(answer.body, requested: Self.encodingFirstCharacter(probe.id), decoded: probe.id)
            #expect(shape == shapes[probe.type], "a hidden \(probe.type) answers \(answer.body)")
        }
    }
}
