import Templating

/// Every fixed word of the population overview and the automatic lists, in Danish and English.
///
/// Kept apart from `StaffText` so these pages can be merged without touching the shared table;
/// templates read them as `{{p.<case name>}}`. Table ids, column keys and decision kinds are
/// translated here too (`label(_:_:)`).
enum PopulationText: String, CaseIterable {
    case populationTitle, listsTitle, plan, group, allPlans, show, downloadCSV, total, responseRate, suppressedNote, exactNote
    case enrolled, roundsByNumber, roundsByMonth, colourMix, nonResponders, timeToDecision, visits, scoreBands
    case enrolledHelp, roundsByNumberHelp, roundsByMonthHelp, colourMixHelp, nonRespondersHelp, timeToDecisionHelp, visitsHelp
    case scoreBandsHelp, medianHours, shareInTime, visitsAvoided, seeList, chartDescription, notShown
    case active, paused, ended, answered, noAnswer, open, red, yellow, green, noneClosed, inTime, late
    case fixedIntervalVisits, contacts, closedGreen, noBand, contactRequests
    case filterDue, filterScore, filterScoreValue, filterSilent, filterContact, daysAhead, daysAgo, any, run, saveAs, listName
    case savedLists, noSavedLists, savedBy, patient, nextDue, latestScore, lastAnswer, lastContact, noPatients, listCount
    case errorListName, phoneCall, visitBooked, filterNonResponders

    func text(_ language: Language) -> String {
        language == .english ? words.english : words.danish
    }

    static func labels(_ language: Language) -> TemplateValue {
        .object(Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, TemplateValue.string($0.text(language))) }))
    }

    /// A column key or table id (`no-answer`, `rounds-by-month`) in words; unknown keys (score
    /// band codes) are shown as they are.
    static func label(_ key: String, _ language: Language) -> String {
        let camel = key.split(separator: "-").enumerated()
            .map { $0.offset == 0 ? String($0.element) : $0.element.prefix(1).uppercased() + $0.element.dropFirst() }.joined()
        return PopulationText(rawValue: camel)?.text(language) ?? key
    }

    private var words: (danish: String, english: String) {
        switch self {
        case .populationTitle: ("Population", "Population")
        case .listsTitle: ("Lister", "Lists")
        case .plan: ("Forløb", "Plan")
        case .group: ("Gruppe", "Group")
        case .allPlans: ("Alle forløb", "All plans")
        case .show: ("Vis", "Show")
        case .downloadCSV: ("Hent som CSV", "Download as CSV")
        case .total: ("I alt", "Total")
        case .responseRate: ("Svarprocent", "Response rate")
        case .suppressedNote: ("– betyder skjult: et antal fra 1 til 4, eller et tal skjult sammen med det, så det ikke kan regnes ud ved at trække fra. Du ser kun aggregerede tal.",
                               "– means hidden: a count from 1 to 4, or a number hidden with it so that it cannot be worked out by subtraction. You see aggregates only.")
        case .exactNote: ("Tallene er nøjagtige (afdelingens eget personale).", "The numbers are exact (the department's own staff).")
        case .enrolled: ("Indskrevne patienter", "Enrolled patients")
        case .roundsByNumber: ("Svar pr. udsendelse", "Responses per invitation round")
        case .roundsByMonth: ("Svar pr. måned", "Responses per month")
        case .colourMix: ("Farver over tid", "Colour mix over time")
        case .nonResponders: ("Manglende svar", "Non-responders")
        case .timeToDecision: ("Tid til klinisk beslutning", "Time to the clinician's decision")
        case .visits: ("Sparede besøg", "Visits avoided")
        case .scoreBands: ("Scorefordeling", "Score distribution")
        case .enrolledHelp: ("Forløb efter status i dag.", "Enrolments by their status today.")
        case .roundsByNumberHelp: ("Udsendte runder efter rundenummer. Svarprocent = besvaret ÷ (besvaret + ikke besvaret).",
                                   "Rounds sent, by round number. Response rate = answered ÷ (answered + no answer).")
        case .roundsByMonthHelp: ("Udsendte runder efter måned for udsendelse.", "Rounds sent, by the month they were sent.")
        case .colourMixHelp: ("Afsluttede runder efter måned: rundens farve, eller intet svar.",
                              "Closed rounds by month: the round's colour, or no answer.")
        case .nonRespondersHelp: ("Løbende forløb efter seneste afsluttede runde.", "Running enrolments by their latest closed round.")
        case .timeToDecisionHelp: ("Røde og gule svar og ønsker om kontakt, efter første beslutning mod afdelingens frist.",
                                   "Red and yellow answers and contact requests, by the first decision against the department's deadline.")
        case .visitsHelp: ("Faste besøg = for hvert forløb ⌊dage i forløbet ÷ fast interval⌋. Kontakter = telefonsamtaler og bookede besøg i forløbet. Sparede besøg = faste besøg − kontakter.",
                           "Fixed visits = for each enrolment ⌊days enrolled ÷ fixed interval⌋. Contacts = phone calls and booked visits while enrolled. Visits avoided = fixed visits − contacts.")
        case .scoreBandsHelp: ("Hver patients seneste score pr. scorekode, efter interval.", "Each patient's latest score per score code, by band.")
        case .medianHours: ("Median tid til beslutning (timer)", "Median time to decision (hours)")
        case .shareInTime: ("Andel inden for fristen", "Share within deadline")
        case .visitsAvoided: ("Sparede besøg", "Visits avoided")
        case .seeList: ("Se listen", "See the list")
        case .chartDescription: ("Stablede søjler; de samme tal står i tabellen.", "Stacked bars; the same numbers are in the table.")
        case .notShown: ("ikke vist (for få)", "not shown (too few)")
        case .active: ("Aktive", "Active")
        case .paused: ("På pause", "Paused")
        case .ended: ("Afsluttede", "Ended")
        case .answered: ("Besvaret", "Answered")
        case .noAnswer: ("Intet svar", "No answer")
        case .open: ("Åben", "Open")
        case .red: ("Rød", "Red")
        case .yellow: ("Gul", "Yellow")
        case .green: ("Grøn", "Green")
        case .noneClosed: ("Ingen afsluttet endnu", "None closed yet")
        case .inTime: ("Inden for fristen", "Within deadline")
        case .late: ("Efter fristen", "Late")
        case .fixedIntervalVisits: ("Faste besøg", "Fixed-interval visits")
        case .contacts: ("Kontakter", "Contacts")
        case .closedGreen: ("Afsluttet grøn", "Closed green")
        case .noBand: ("Intet interval", "No band")
        case .contactRequests: ("Ønsker om kontakt", "Contact requests")
        case .filterDue: ("Skal have skema inden for", "Questionnaire due within")
        case .filterScore: ("Seneste score (kode)", "Latest score (code)")
        case .filterScoreValue: ("Værdi", "Value")
        case .filterSilent: ("Intet svar i mere end", "No answer for more than")
        case .filterContact: ("Sidste kontakt for mere end", "Last contact more than")
        case .daysAhead: ("dage", "days")
        case .daysAgo: ("dage siden", "days ago")
        case .any: ("Alle", "Any")
        case .run: ("Vis listen", "Show the list")
        case .saveAs: ("Gem listen", "Save the list")
        case .listName: ("Navn", "Name")
        case .savedLists: ("Gemte lister", "Saved lists")
        case .noSavedLists: ("Ingen gemte lister.", "No saved lists.")
        case .savedBy: ("Gemt af", "Saved by")
        case .patient: ("Patient", "Patient")
        case .nextDue: ("Næste skema", "Next questionnaire")
        case .latestScore: ("Seneste score", "Latest score")
        case .lastAnswer: ("Seneste svar", "Last answer")
        case .lastContact: ("Seneste kontakt", "Last contact")
        case .noPatients: ("Ingen patienter opfylder filtrene.", "No patients meet the filters.")
        case .listCount: ("Patienter på listen", "Patients on the list")
        case .phoneCall: ("Telefonsamtale", "Phone call")
        case .visitBooked: ("Besøg booket", "Visit booked")
        case .filterNonResponders: ("Kun patienter hvis seneste runde ikke blev besvaret", "Only patients whose latest round went unanswered")
        case .errorListName: ("Skriv et navn til listen (højst 100 tegn).", "Write a name for the list (at most 100 characters).")
        }
    }
}
