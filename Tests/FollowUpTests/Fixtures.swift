import Foundation
import JSON
import Questionnaire
@testable import FollowUp

/// Shared builders for the follow-up tests.
enum Fixtures {
    static let copenhagen = TimeZone(identifier: "Europe/Copenhagen")!

    /// A day from `YYYY-MM-DD`.
    static func day(_ text: String) -> CalendarDay {
        CalendarDay(iso: text)!
    }

    /// Local Copenhagen time on `YYYY-MM-DD`.
    static func at(_ text: String, _ hour: Int, _ minute: Int = 0) -> Date {
        day(text).instant(hour: hour, minute: minute, in: copenhagen)
    }

    /// A plan with short intervals so a year holds many rounds: base 30 days, reminders after
    /// 3 and 7 days, expiry after 10, ×1.5 after every 2 greens up to 60 days, non-response
    /// yellow then red.
    static func plan(baseIntervalDays: Int = 30, reminderDays: [Int] = [3, 7], expiryDays: Int = 10,
                     adaptive: FollowUpPlan.AdaptiveRule? = FollowUpPlan.AdaptiveRule(consecutiveGreens: 2, factor: Decimal(string: "1.5")!, maxIntervalDays: 60),
                     nonResponseColours: [TriageColour] = [.yellow, .red]) -> FollowUpPlan {
        FollowUpPlan(
            id: "test-plan", version: "1", title: "Testplan",
            questionnaires: [FollowUpPlan.QuestionnaireReference(url: "http://x/q", version: "1")],
            baseIntervalDays: baseIntervalDays, reminderDays: reminderDays, expiryDays: expiryDays, adaptive: adaptive,
            nonResponseColours: nonResponseColours, responseDeadlineWorkingDays: [.red: 1, .yellow: 5],
            nextStep: [.red: "Vi ringer", .yellow: "Vi kigger", .green: LocalizedText("Næste skema den {nextDate}.", translations: ["en": "Next questionnaire on {nextDate}."])],
            fixedIntervalDays: 180)
    }

    static func scheduler(_ plan: FollowUpPlan = plan()) -> FollowUpScheduler {
        FollowUpScheduler(plan: plan, timeZone: copenhagen, sendHour: 8)
    }

    static func enrolment(start: String = "2026-01-05", pauses: [Enrolment.Pause] = [], endedAt: Date? = nil) -> Enrolment {
        Enrolment(id: "e1", startDate: day(start), pauses: pauses, endedAt: endedAt)
    }

    // MARK: Round builders

    static func answered(_ number: Int, due: String, colour: TriageColour) -> FollowUpRound {
        FollowUpRound(number: number, dueDate: day(due), state: .sent(at: at(due, 8), remindersSent: 0, outcome: .answered(at: at(due, 12), colour: colour)))
    }

    static func expired(_ number: Int, due: String, level: Int = 1) -> FollowUpRound {
        FollowUpRound(number: number, dueDate: day(due), state: .sent(at: at(due, 8), remindersSent: 2, outcome: .expired(at: at(due, 12), colour: .yellow, level: level)))
    }

    static func skipped(_ number: Int, due: String) -> FollowUpRound {
        FollowUpRound(number: number, dueDate: day(due), state: .skipped(at: at(due, 8)))
    }

    static func open(_ number: Int, due: String, sent: Date? = nil, reminders: Int = 0) -> FollowUpRound {
        FollowUpRound(number: number, dueDate: day(due), state: .sent(at: sent ?? at(due, 8), remindersSent: reminders, outcome: nil))
    }

    /// Rounds 1… from a compact code: g/y/r answered, n expired, s skipped, o open; due dates
    /// 30 days apart from 2026-01-05 (only the interval rules read them).
    static func rounds(_ code: String) -> [FollowUpRound] {
        code.enumerated().map { index, letter in
            let due = day("2026-01-05").adding(days: 30 * index).description
            return switch letter {
            case "g": answered(index + 1, due: due, colour: .green)
            case "y": answered(index + 1, due: due, colour: .yellow)
            case "r": answered(index + 1, due: due, colour: .red)
            case "n": expired(index + 1, due: due)
            case "s": skipped(index + 1, due: due)
            default: open(index + 1, due: due)
            }
        }
    }

    /// A short readable form of an action: `invite 3 due 2026-03-21`, `remind 6.1`,
    /// `expire 6 yellow 1`, `skip 2 due 2026-02-04`.
    static func describe(_ action: FollowUpAction) -> String {
        switch action.kind {
        case .skip(let due): "skip \(action.round) due \(due)"
        case .invite(let due, _, _): "invite \(action.round) due \(due)"
        case .remind(let index, _): "remind \(action.round).\(index)"
        case .expire(let colour, let level): "expire \(action.round) \(colour.rawValue) \(level)"
        }
    }

    // MARK: Plan JSON

    /// A valid plan file as a JSON object, to be broken one field at a time.
    static func planJSON() -> JSON {
        [
            "format": "byneed-follow-up-plan/1",
            "id": "p",
            "version": "1.0.0",
            "title": ["da": "Plan", "en": "Plan"],
            "questionnaires": [["url": "http://x/q", "version": "1"]],
            "intervalDays": 90,
            "remindersAfterDays": [7, 14],
            "expiresAfterDays": 21,
            "adaptive": ["afterConsecutiveGreens": 2, "factor": 1.5, "maxIntervalDays": 180],
            "nonResponse": ["colours": ["yellow", "red"]],
            "responseDeadlineWorkingDays": ["red": 1, "yellow": 5],
            "nextStep": [
                "red": ["da": "Vi ringer inden for 1 hverdag", "en": "We call within 1 working day"],
                "yellow": ["da": "Vi ser på svarene", "en": "We review your answers"],
                "green": ["da": "Næste skema den {nextDate}", "en": "Next questionnaire on {nextDate}"],
            ],
            "fixedIntervalDays": 180,
        ]
    }

    /// `json` with the member at a dotted `path` replaced (nil removes it).
    static func setting(_ json: JSON, _ path: String, _ value: JSON?) -> JSON {
        let keys = path.split(separator: ".").map(String.init)
        return set(json, keys[...], value)
    }

    private static func set(_ json: JSON, _ keys: ArraySlice<String>, _ value: JSON?) -> JSON {
        guard let key = keys.first, case .object(var object) = json else { return json }
        if keys.count == 1 {
            object[key] = value
        } else {
            object[key] = set(object[key] ?? [:], keys.dropFirst(), value)
        }
        return .object(object)
    }

    static func knownQuestionnaire(_ url: String, _ version: String) -> Bool {
        url == "http://x/q" && version == "1"
    }
}
