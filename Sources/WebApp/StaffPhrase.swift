import Storage

/// Clinician-page sentences that carry values.
enum StaffPhrase {
    case hours(Int), days(Int), overdueBy(String), rowCount(Int, Int)
    case statusPaused(String), statusEnded(String), roundNumber(Int), chartDescription(String, Int)
    case changedFrom(String), correctsNumber(Int)
    case kind(Decision.Kind), state(OutboxItem.State)

    func text(_ language: Language) -> String {
        language == .danish ? danish : english
    }

    private var danish: String {
        switch self {
        case .hours(let count): count == 1 ? "1 time" : "\(count) timer"
        case .days(let count): count == 1 ? "1 dag" : "\(count) dage"
        case .overdueBy(let duration): "Overskredet med \(duration)"
        case .rowCount(let shown, let all): "Viser \(shown) af \(all) patienter"
        case .statusPaused(let since): "På pause siden \(since)"
        case .statusEnded(let at): "Afsluttet \(at)"
        case .roundNumber(let number): "Spørgeskemarunde \(number)"
        case .chartDescription(let score, let count): "\(score): \(count) målinger over tid. Værdierne står i tabellen under grafen."
        case .changedFrom(let before): "(ændret fra: \(before))"
        case .correctsNumber(let number): "Retter beslutning #\(number)"
        case .kind(let kind):
            switch kind {
            case .noAction: "Ingen handling"
            case .phoneCall: "Telefonsamtale foretaget"
            case .visitBooked: "Besøg booket"
            case .intervalChanged: "Interval ændret"
            case .referred: "Henvist"
            case .followUpEnded: "Opfølgning afsluttet"
            }
        case .state(let state):
            switch state {
            case .pending: "Venter"
            case .delivered: "Leveret"
            case .dead: "Opgivet"
            }
        }
    }

    private var english: String {
        switch self {
        case .hours(let count): count == 1 ? "1 hour" : "\(count) hours"
        case .days(let count): count == 1 ? "1 day" : "\(count) days"
        case .overdueBy(let duration): "Overdue by \(duration)"
        case .rowCount(let shown, let all): "Showing \(shown) of \(all) patients"
        case .statusPaused(let since): "Paused since \(since)"
        case .statusEnded(let at): "Ended \(at)"
        case .roundNumber(let number): "Questionnaire round \(number)"
        case .chartDescription(let score, let count): "\(score): \(count) measurements over time. The values are in the table below the chart."
        case .changedFrom(let before): "(changed from: \(before))"
        case .correctsNumber(let number): "Corrects decision #\(number)"
        case .kind(let kind):
            switch kind {
            case .noAction: "No action"
            case .phoneCall: "Phone call made"
            case .visitBooked: "Visit booked"
            case .intervalChanged: "Interval changed"
            case .referred: "Referred"
            case .followUpEnded: "Follow-up ended"
            }
        case .state(let state):
            switch state {
            case .pending: "Waiting"
            case .delivered: "Delivered"
            case .dead: "Given up"
            }
        }
    }
}
