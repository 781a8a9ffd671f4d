import Foundation

/// Reads follow-up plan files (docs/follow-up-plans.md) and rejects every impossible rule with
/// the file name and JSON path.
///
/// `knownQuestionnaire(url, version)` says whether the questionnaire catalogue serves that
/// exact version; pass `{ catalogue.definition(url: $0, version: $1) != nil }`. A plan that
/// names an unknown questionnaire would send links that cannot be answered, so it never loads.
public enum PlanLoader {
    /// The value of the `format` field this loader reads.
    public static let format = "byneed-follow-up-plan/1"

    /// Reads one plan from JSON bytes; `source` names the file in problems.
    public static func load(bytes: [UInt8], source: String, knownQuestionnaire: (_ url: String, _ version: String) -> Bool) throws(PlanError) -> FollowUpPlan {
        var reader = PlanReader(source: source)
        let plan = reader.read(bytes, knownQuestionnaire: knownQuestionnaire)
        guard let plan, reader.problems.isEmpty else { throw PlanError(problems: reader.problems) }
        return plan
    }

    /// Reads several plan files (name, bytes) and checks that `id` + `version` is unique across
    /// them; collects the problems of all files before failing. Sorted by id, then file name.
    public static func load(files: [(name: String, bytes: [UInt8])], knownQuestionnaire: (_ url: String, _ version: String) -> Bool) throws(PlanError) -> [FollowUpPlan] {
        var plans: [FollowUpPlan] = []
        var problems: [PlanProblem] = []
        for file in files {
            do {
                plans.append(try load(bytes: file.bytes, source: file.name, knownQuestionnaire: knownQuestionnaire))
            } catch {
                problems += error.problems
            }
        }
        var seen: [String: String] = [:]
        for plan in plans {
            if let other = seen[plan.reference] {
                problems.append(PlanProblem(source: plan.sourceName, path: "version", kind: .duplicatePlan(id: plan.id, version: plan.version, otherSource: other)))
            } else {
                seen[plan.reference] = plan.sourceName
            }
        }
        guard problems.isEmpty else { throw PlanError(problems: problems) }
        return plans.sorted { ($0.id, $0.sourceName) < ($1.id, $1.sourceName) }
    }

    /// Reads every `*.json` file directly in `directory`, sorted by name (see `load(files:)`).
    public static func load(directory: String, knownQuestionnaire: (_ url: String, _ version: String) -> Bool) throws(PlanError) -> [FollowUpPlan] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw PlanError(problems: [PlanProblem(source: directory, path: "", kind: .unreadableFile(reason: error.localizedDescription))])
        }
        var files: [(name: String, bytes: [UInt8])] = []
        var problems: [PlanProblem] = []
        for name in names.sorted() where name.hasSuffix(".json") {
            if let data = FileManager.default.contents(atPath: directory + "/" + name) {
                files.append((name, Array(data)))
            } else {
                problems.append(PlanProblem(source: name, path: "", kind: .unreadableFile(reason: "permission denied or I/O error")))
            }
        }
        let plans: [FollowUpPlan]
        do {
            plans = try load(files: files, knownQuestionnaire: knownQuestionnaire)
        } catch {
            throw PlanError(problems: problems + error.problems)
        }
        guard problems.isEmpty else { throw PlanError(problems: problems) }
        return plans
    }
}
