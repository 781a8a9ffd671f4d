import Templating

/// Every fixed word of the clinician pages, in Danish and English.
///
/// One table, so a missing translation is a compile error and wording is reviewed in one
/// place. Templates read them as `{{t.<case name>}}` (`labels(_:)` hands all of them over).
enum StaffText: String, CaseIterable {
    case skipToContent, staffArea, mainNavigation, signedInAs, logout
    case signIn, signInFailedTitle, signInFailed, fieldUsername, fieldPassword
    case worklist, filters, filtersActive, anyPlan, dateRange, dateField, from, to, search, applyFilters, clearFilters
    case assignedAnyone, assignedMe, assignedNobody
    case columnPatient, columnCPR, columnPlan, columnCategory, columnAnswered, columnDeadline, columnAssigned, columnLastContact
    case columnScores, columnAssign, assign, assignTo, claim, nobody, handled, sinceLast, noRows
    case acknowledgeHelp, acknowledgeButton, acknowledgeColumn, acknowledgeOne
    case contactDetails, fieldCPR, fieldName, fieldEmail, fieldMobile, fieldDelivery, fieldGP, fieldMunicipality, fieldLanguage
    case fieldStart, deliveryEmail, deliveryLetter, hintCPR, hintSOR, hintMunicipality, choosePlan, enrolTitle, enrolButton
    case enrolments, noEnrolments, version, status, statusActive, actionPause, actionResume, actionEnd, changePlan, history
    case eventEnrolled, eventPlanChanged, when, what, who, detail, actions, created, value, band
    case findings, automaticResult, clinicianDecision, notDecided, recordDecision, contactRequest
    case scoresOverTime, noScores, chartTable, timeline, timelineResponse, timelineDecision, responses, notAnswered
    case purposeInvitation, purposeReminder
    case decideTitle, newDecision, decisionKind, fieldVisitDate, hintVisitDate, fieldNextDue, hintNextDue, fieldNote
    case saveDecision, cancel, correct, superseded, seeAnswers
    case errorSummary, errorPrefix, errorKind, errorVisitDate, errorNextDue, errorNote, errorCorrects
    case lettersTitle, letterTitle, printLetter, markPosted, noLetters
    case deliveriesTitle, deliveriesHelp, channel, attempts, nextAttempt, lastError, noDeliveryProblems
    case notFoundTitle, notFoundText, forbiddenTitle, forbiddenText, conflictTitle, conflictText
    case paperTitle, paperHelp, paperQuestionnaire, paperDate, paperStart, errorPaperDate
    case plansTitle, planInterval, planReminders, planExpiry, planAdaptive, planNonResponse, planDeadlines, planNextSteps
    case planQuestionnaires, planFixedInterval, days, workingDays
    case emergencyTitle, emergencyHelp, emergencyReason, emergencyOpen, emergencyReviewTitle, emergencyNone, errorEmergencyReason
    case sharedTitle, sharedHelp, sharedDepartment, sharedScores, sharedAnswered, sharedNext, sharedDecision, sharedNew, sharedNone
    case secondFactorTitle, secondFactorHelp, fieldCode, hintCode, secondFactorButton, secondFactorFailed, signInExpired
    case pushTitle, pushHelp, pushSubscriptions, pushNoSubscriptions, pushOrganisation, pushClient, pushCriteria, pushEndpoint
    case pushPayload, pushPayloadFull, pushPayloadID, pushDelivered, pushPending, pushFailed, pushProblems, pushNoProblems
    case pushDelivery, pushHistoryTitle, pushNoHistory, pushOutcome, pushStatusOff

    func text(_ language: Language) -> String {
        let pair = words
        return language == .danish ? pair.danish : pair.english
    }

    /// Every text by case name, for templates.
    static func labels(_ language: Language) -> TemplateValue {
        .object(Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, TemplateValue.string($0.text(language))) }))
    }

    private var words: (danish: String, english: String) {
        switch self {
        case .paperTitle: ("Indtast papirskema", "Enter a paper questionnaire")
        case .paperHelp: ("Svarene gemmes som indtastet af dig, med datoen på papiret.",
                          "The answers are stored as entered by you, with the date on the paper.")
        case .paperQuestionnaire: ("Spørgeskema", "Questionnaire")
        case .paperDate: ("Dato på papiret", "Date on the paper")
        case .paperStart: ("Begynd indtastning", "Start entering")
        case .errorPaperDate: ("Skriv datoen på papiret (ÅÅÅÅ-MM-DD), i dag eller tidligere",
                               "Enter the date on the paper (YYYY-MM-DD), today or earlier")
        case .plansTitle: ("Forløb", "Plans")
        case .planInterval: ("Interval", "Interval")
        case .planReminders: ("Påmindelser efter", "Reminders after")
        case .planExpiry: ("Udløber efter", "Expires after")
        case .planAdaptive: ("Længere interval ved grønne svar", "Longer interval after green answers")
        case .planNonResponse: ("Manglende svar (1., 2., … gang)", "No answer (1st, 2nd, … time)")
        case .planDeadlines: ("Afdelingens svarfrist", "The department's response deadline")
        case .planNextSteps: ("Hvad patienten får at vide", "What the patient is told")
        case .planQuestionnaires: ("Spørgeskemaer", "Questionnaires")
        case .planFixedInterval: ("Fast interval uden ByNeed", "Fixed interval without ByNeed")
        case .days: ("dage", "days")
        case .emergencyTitle: ("Nødadgang", "Emergency access")
        case .emergencyHelp: ("Kun når en patient, I ikke har i behandling, har brug for hjælp nu. Adgangen gælder en time, vises for patienten som nødadgang og gennemgås af jeres ledelse. En patient, der har spærret for jer, kan ikke åbnes.",
                              "Only when a patient you do not treat needs help now. Access lasts an hour, is shown to the patient as emergency access and is reviewed by your management. A patient who blocked you cannot be opened.")
        case .emergencyReason: ("Begrundelse", "Reason")
        case .emergencyOpen: ("Åbn med nødadgang", "Open with emergency access")
        case .emergencyReviewTitle: ("Nødadgange til gennemsyn", "Emergency accesses for review")
        case .emergencyNone: ("Ingen nødadgange.", "No emergency accesses.")
        case .errorEmergencyReason: ("Skriv en begrundelse (højst 500 tegn).", "Write a reason (at most 500 characters).")
        case .sharedTitle: ("Delte patienter", "Shared patients")
        case .sharedHelp: ("Patienter, som en hospitalsafdeling følger, og som I har en behandlingsrelation til eller samtykke fra. Patienter, der har spærret for jer, vises ikke.",
                           "Patients a hospital department follows and with whom you have a treatment relation or their consent. Patients who blocked you are not shown.")
        case .sharedDepartment: ("Afdeling og forløb", "Department and plan")
        case .sharedScores: ("Seneste scorer", "Latest scores")
        case .sharedAnswered: ("Besvaret", "Answered")
        case .sharedNext: ("Næste skema", "Next questionnaire")
        case .sharedDecision: ("Seneste beslutning", "Latest decision")
        case .sharedNew: ("Ny", "New")
        case .sharedNone: ("Ingen delte patienter.", "No shared patients.")
        case .workingDays: ("hverdage", "working days")
        case .skipToContent: ("Gå til indholdet", "Skip to content")
        case .staffArea: ("Klinik", "Clinic")
        case .mainNavigation: ("Hovedmenu", "Main menu")
        case .signedInAs: ("Logget ind som", "Signed in as")
        case .logout: ("Log ud", "Sign out")
        case .signIn: ("Log ind", "Sign in")
        case .signInFailedTitle: ("Du blev ikke logget ind", "You were not signed in")
        case .signInFailed: ("Brugernavn eller adgangskode er forkert.", "The username or password is wrong.")
        case .fieldUsername: ("Brugernavn", "Username")
        case .fieldPassword: ("Adgangskode", "Password")
        case .worklist: ("Arbejdsliste", "Worklist")
        case .filters: ("Filtre", "Filters")
        case .filtersActive: ("filtre i brug", "filters in use")
        case .anyPlan: ("Alle forløb", "All plans")
        case .dateRange: ("Periode", "Date range")
        case .dateField: ("Dato for", "Date of")
        case .from: ("Fra", "From")
        case .to: ("Til og med", "To (inclusive)")
        case .search: ("Navn eller CPR-nummer", "Name or CPR number")
        case .applyFilters: ("Vis", "Show")
        case .clearFilters: ("Nulstil", "Clear")
        case .assignedAnyone: ("Alle", "Anyone")
        case .assignedMe: ("Mine", "Mine")
        case .assignedNobody: ("Ikke tildelt", "Unassigned")
        case .columnPatient: ("Patient", "Patient")
        case .columnCPR: ("CPR", "CPR")
        case .columnPlan: ("Forløb", "Plan")
        case .columnCategory: ("Status", "Status")
        case .columnAnswered: ("Besvaret", "Answered")
        case .columnDeadline: ("Frist", "Deadline")
        case .columnAssigned: ("Tildelt", "Assigned")
        case .columnLastContact: ("Sidste kontakt", "Last contact")
        case .columnScores: ("Scorer", "Scores")
        case .columnAssign: ("Tildel", "Assign")
        case .assign: ("Tildel", "Assign")
        case .assignTo: ("Tildel til", "Assign to")
        case .claim: ("Tag selv", "Take it")
        case .nobody: ("Ingen", "Nobody")
        case .handled: ("(vurderet)", "(assessed)")
        case .sinceLast: ("siden sidst", "since last")
        case .noRows: ("Ingen patienter passer til filtrene.", "No patients match the filters.")
        case .acknowledgeHelp: ("De afkrydsede grønne svar registreres som »ingen handling« af dig.",
                                "The ticked green answers are recorded as “no action” by you.")
        case .acknowledgeButton: ("Kvittér for afkrydsede grønne", "Acknowledge ticked greens")
        case .acknowledgeColumn: ("Kvittér", "Acknowledge")
        case .acknowledgeOne: ("Kvittér for", "Acknowledge")
        case .contactDetails: ("Kontaktoplysninger", "Contact details")
        case .fieldCPR: ("CPR-nummer", "CPR number")
        case .fieldName: ("Navn", "Name")
        case .fieldEmail: ("E-mail", "E-mail")
        case .fieldMobile: ("Mobilnummer", "Mobile number")
        case .fieldDelivery: ("Spørgeskemaer sendes som", "Questionnaires are sent by")
        case .fieldGP: ("Egen læge (SOR-kode)", "GP clinic (SOR code)")
        case .fieldMunicipality: ("Kommunekode", "Municipality code")
        case .fieldLanguage: ("Sprog", "Language")
        case .fieldStart: ("Første spørgeskema", "First questionnaire")
        case .deliveryEmail: ("E-mail", "E-mail")
        case .deliveryLetter: ("Brev", "Letter")
        case .hintCPR: ("10 cifre, fx 010190-1234", "10 digits, e.g. 010190-1234")
        case .hintSOR: ("Kun cifre", "Digits only")
        case .hintMunicipality: ("Fire cifre, fx 0101", "Four digits, e.g. 0101")
        case .choosePlan: ("Vælg forløb", "Choose a plan")
        case .enrolTitle: ("Tilmeld patient", "Enrol patient")
        case .enrolButton: ("Tilmeld", "Enrol")
        case .enrolments: ("Forløb", "Follow-up plans")
        case .noEnrolments: ("Patienten er ikke tilmeldt et forløb.", "The patient is not enrolled in a plan.")
        case .version: ("version", "version")
        case .status: ("Status", "Status")
        case .statusActive: ("Aktiv", "Active")
        case .actionPause: ("Sæt på pause", "Pause")
        case .actionResume: ("Genoptag", "Resume")
        case .actionEnd: ("Afslut forløb", "End follow-up")
        case .changePlan: ("Skift forløb", "Change plan")
        case .history: ("Historik", "History")
        case .eventEnrolled: ("Tilmeldt", "Enrolled")
        case .eventPlanChanged: ("Forløb skiftet", "Plan changed")
        case .when: ("Tidspunkt", "When")
        case .what: ("Hvad", "What")
        case .who: ("Hvem", "Who")
        case .detail: ("Detaljer", "Details")
        case .actions: ("Handlinger", "Actions")
        case .created: ("Oprettet", "Created")
        case .value: ("Værdi", "Value")
        case .band: ("Område", "Band")
        case .findings: ("Fund og beslutninger", "Findings and decisions")
        case .automaticResult: ("Automatisk vurdering", "Automatic result")
        case .clinicianDecision: ("Klinisk beslutning", "Clinician's decision")
        case .notDecided: ("Ingen beslutning endnu", "No decision yet")
        case .recordDecision: ("Registrér beslutning", "Record decision")
        case .contactRequest: ("Ønske om kontakt", "Contact request")
        case .scoresOverTime: ("Scorer over tid", "Scores over time")
        case .noScores: ("Ingen scorer endnu.", "No scores yet.")
        case .chartTable: ("Data", "Data")
        case .timeline: ("Tidslinje", "Timeline")
        case .timelineResponse: ("Svar modtaget", "Response received")
        case .timelineDecision: ("Beslutning", "Decision")
        case .responses: ("Svar", "Responses")
        case .notAnswered: ("Ikke besvaret", "Not answered")
        case .purposeInvitation: ("Invitation", "Invitation")
        case .purposeReminder: ("Påmindelse", "Reminder")
        case .decideTitle: ("Beslutning", "Decision")
        case .newDecision: ("Ny beslutning", "New decision")
        case .decisionKind: ("Hvad blev besluttet?", "What was decided?")
        case .fieldVisitDate: ("Besøgsdato", "Visit date")
        case .hintVisitDate: ("Kun ved »Besøg booket«", "Only for “Visit booked”")
        case .fieldNextDue: ("Næste spørgeskema", "Next questionnaire")
        case .hintNextDue: ("Kun ved »Interval ændret«", "Only for “Interval changed”")
        case .fieldNote: ("Notat", "Note")
        case .saveDecision: ("Gem beslutning", "Save decision")
        case .cancel: ("Annullér", "Cancel")
        case .correct: ("Ret", "Correct")
        case .superseded: ("(rettet senere)", "(corrected later)")
        case .seeAnswers: ("Se svarene", "See the answers")
        case .errorSummary: ("Beslutningen er ikke gemt – ret følgende", "Nothing was saved – please correct the following")
        case .errorPrefix: ("Fejl:", "Error:")
        case .errorKind: ("Vælg, hvad der blev besluttet", "Choose what was decided")
        case .errorVisitDate: ("Skriv datoen for besøget", "Enter the date of the visit")
        case .errorNextDue: ("Skriv datoen for næste spørgeskema (i dag eller senere)",
                             "Enter the date of the next questionnaire (today or later)")
        case .errorNote: ("Notatet må højst være 2000 tegn", "The note can be at most 2000 characters")
        case .errorCorrects: ("Den beslutning, der skulle rettes, findes ikke for dette fund",
                              "The decision to correct does not exist for this finding")
        case .lettersTitle: ("Breve", "Letters")
        case .letterTitle: ("Brev", "Letter")
        case .printLetter: ("Udskriv", "Print")
        case .markPosted: ("Markér som sendt", "Mark as posted")
        case .noLetters: ("Ingen breve venter.", "No letters are waiting.")
        case .pushTitle: ("FHIR-push", "FHIR push")
        case .pushHelp: ("Sektorsystemernes abonnementer på nye resultater, og de notifikationer, der ikke kunne leveres. "
                         + "Ingen patientoplysninger vises her.",
                         "The sector systems' subscriptions to new results, and the notifications that could not be delivered. "
                         + "No patient data is shown here.")
        case .pushSubscriptions: ("Abonnementer", "Subscriptions")
        case .pushNoSubscriptions: ("Ingen abonnementer.", "No subscriptions.")
        case .pushOrganisation: ("Organisation", "Organisation")
        case .pushClient: ("API-klient", "API client")
        case .pushCriteria: ("Triagefarver", "Triage colours")
        case .pushEndpoint: ("Modtager", "Endpoint")
        case .pushPayload: ("Indhold", "Payload")
        case .pushPayloadFull: ("hele besvarelsen", "the full response")
        case .pushPayloadID: ("kun id", "id only")
        case .pushDelivered: ("Leveret", "Delivered")
        case .pushPending: ("Venter", "Pending")
        case .pushFailed: ("Opgivet", "Dead")
        case .pushProblems: ("Notifikationer, der ikke er leveret", "Notifications not delivered")
        case .pushNoProblems: ("Alle notifikationer er leveret.", "Every notification has been delivered.")
        case .pushDelivery: ("Notifikation", "Notification")
        case .pushHistoryTitle: ("Leveringshistorik", "Delivery history")
        case .pushNoHistory: ("Ingen forsøg endnu.", "No attempts yet.")
        case .pushOutcome: ("Udfald", "Outcome")
        case .pushStatusOff: ("slået fra", "off")
        case .deliveriesTitle: ("Forsendelser", "Deliveries")
        case .deliveriesHelp: ("Beskeder, der ikke kunne leveres, eller som prøves igen.",
                               "Messages that could not be delivered or are being retried.")
        case .channel: ("Kanal", "Channel")
        case .attempts: ("Forsøg", "Attempts")
        case .nextAttempt: ("Næste forsøg", "Next attempt")
        case .lastError: ("Seneste fejl", "Last error")
        case .noDeliveryProblems: ("Ingen problemer med forsendelser.", "No delivery problems.")
        case .notFoundTitle: ("Siden findes ikke", "Page not found")
        case .notFoundText: ("Det, du ledte efter, findes ikke, eller du har ikke adgang til det.",
                             "What you looked for does not exist, or you have no access to it.")
        case .forbiddenTitle: ("Handlingen blev afvist", "The action was refused")
        case .forbiddenText: ("Formularen var for gammel eller kom ikke fra ByNeed. Gå tilbage, genindlæs siden og prøv igen.",
                              "The form was too old or did not come from ByNeed. Go back, reload the page and try again.")
        case .conflictTitle: ("Ændringen passer ikke", "The change does not fit")
        case .conflictText: ("Forløbet er ikke i en tilstand, hvor ændringen kan laves. Genindlæs siden.",
                             "The plan is not in a state where this change can be made. Reload the page.")
        case .secondFactorTitle: ("Engangskode", "One-time code")
        case .secondFactorHelp: ("Åbn din godkendelsesapp og skriv den sekscifrede kode til ByNeed.",
                                 "Open your authenticator app and type the six-digit code for ByNeed.")
        case .fieldCode: ("Kode", "Code")
        case .hintCode: ("6 cifre, fx 123456", "6 digits, for example 123456")
        case .secondFactorButton: ("Bekræft", "Confirm")
        case .secondFactorFailed: ("Koden er forkert eller allerede brugt. Vent på den næste kode, og prøv igen.",
                                   "The code is wrong or already used. Wait for the next code and try again.")
        case .signInExpired: ("Det tog for lang tid. Log ind igen.", "That took too long. Please sign in again.")
        }
    }
}
