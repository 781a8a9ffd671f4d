import Foundation

// MARK: Applying

extension FollowUpAction {
    /// The history after performing `actions` at `now`, as storage records it: a skip or an
    /// invitation appends its round, a reminder raises the reminder count, an expiry closes the
    /// round. Storage does the same in SQL; this is the reference for it and for tests.
    public static func applying(_ actions: [FollowUpAction], to rounds: [FollowUpRound], at now: Date) -> [FollowUpRound] {
        var result = rounds
        for action in actions {
            switch action.kind {
            case .skip(let dueDate):
                result.append(FollowUpRound(number: action.round, dueDate: dueDate, state: .skipped(at: now)))
            case .invite(let dueDate, _, _):
                result.append(FollowUpRound(number: action.round, dueDate: dueDate, state: .sent(at: now, remindersSent: 0, outcome: nil)))
            case .remind(let index, _):
                update(&result, round: action.round) { sentAt, _, outcome in .sent(at: sentAt, remindersSent: index, outcome: outcome) }
            case .expire(let colour, let level):
                update(&result, round: action.round) { sentAt, reminders, _ in
                    .sent(at: sentAt, remindersSent: reminders, outcome: .expired(at: now, colour: colour, level: level))
                }
            }
        }
        return result
    }

    private static func update(_ rounds: inout [FollowUpRound], round: Int, _ change: (Date, Int, FollowUpRound.Outcome?) -> FollowUpRound.State) {
        guard let index = rounds.firstIndex(where: { $0.number == round }),
              case .sent(let sentAt, let reminders, let outcome) = rounds[index].state else { return }
        rounds[index].state = change(sentAt, reminders, outcome)
    }
}
