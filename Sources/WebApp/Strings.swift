/// The languages a patient can choose; Danish is the default.
public enum Language: String, Sendable, CaseIterable {
    case danish = "da"
    case english = "en"

    /// The language a `lang` value names, or nil when we do not offer it.
    public init?(code: String?) {
        guard let code, let language = Language(rawValue: code.lowercased()) else { return nil }
        self = language
    }

    /// The other language, offered by the switch link on every page.
    var other: Language { self == .danish ? .english : .danish }
}

/// Every sentence the patient pages show, in Danish and English.
///
/// Kept in one table so that a missing translation is a compile error (the `switch` must
/// cover both languages), and so that wording can be reviewed in one place.
enum Strings {
    case pageOf(Int, Int)
    case next, back, reviewAnswers, send, change, notAnswered
    case errorSummaryTitle, required, otherOption, unit, yes, no
    case conditionalHint(String)
    case reviewTitle, reviewIntro
    case receiptTitle, receiptReceived(String), receiptNext, receiptCall(String, String), receiptEmergency
    case whatNext, errorPrefix
    case linkUnknownTitle, linkUnknownText, linkExpiredTitle, linkExpiredText
    case unavailableTitle, unavailableText, badFormTitle, badFormText
    case otherLanguageName, skipToContent, serverErrorTitle, serverErrorText(String)
    case busyTitle, busyText
    case respondentLegend, respondentPatient, respondentProxy, relationLabel, relationHint, relationMissing
    case receiptOtherQuestionnaires
    case contactLink, contactTitle, contactIntro, contactMessageLabel, contactMessageHint, contactSend
    case contactReceivedTitle, contactReceivedText(String)
    case sharingLink, sharingTitle, sharingIntro, sharingWho, sharingWhy, sharingState, sharingChange
    case sharingRelation(String), sharingConsentGiven(String), sharingNoConsent, sharingBlocked, sharingVisible
    case sharingBlock, sharingUnblock, sharingGiveConsent, sharingWithdrawConsent, sharingConsentNote
    case sharingHistory, sharingHistoryEmpty, sharingChoice(String), sharingSaved
    case accessLogLink, accessLogTitle, accessLogIntro, accessLogEmpty, accessLogWhen, accessLogWho, accessLogWhat, accessLogWhy
    case accessLogEmergency

    func text(_ language: Language) -> String {
        switch language {
        case .danish: danish
        case .english: english
        }
    }

    private var danish: String {
        switch self {
        case .pageOf(let page, let count): "Side \(page) af \(count)"
        case .next: "Næste"
        case .back: "Tilbage"
        case .reviewAnswers: "Se dine svar"
        case .send: "Send svar"
        case .change: "Ret"
        case .notAnswered: "Ikke besvaret"
        case .errorSummaryTitle: "Der mangler noget, før du kan gå videre"
        case .required: "(skal besvares)"
        case .otherOption: "Andet, skriv selv:"
        case .unit: "Enhed"
        case .yes: "Ja"
        case .no: "Nej"
        case .conditionalHint(let question): "Besvar kun dette, hvis det passer med dit svar på »\(question)«."
        case .reviewTitle: "Tjek dine svar"
        case .reviewIntro: "Dine svar er ikke sendt endnu. Tjek dem, og tryk på »Send svar«."
        case .receiptTitle: "Tak – dine svar er modtaget"
        case .receiptReceived(let when): "Vi modtog dine svar \(when)."
        case .receiptNext: "Afdelingen ser dine svar igennem. Viser dine svar, at du har brug for kontakt, ringer vi til dig. Ellers får du det næste spørgeskema som planlagt."
        case .receiptCall(let department, let phone): "Har du brug for hjælp før det, så ring til \(department) på \(phone)."
        case .receiptEmergency: "Ved livsfare: ring 112."
        case .whatNext: "Hvad sker der nu?"
        case .errorPrefix: "Fejl:"
        case .linkUnknownTitle: "Linket virker ikke"
        case .linkUnknownText: "Tjek, at du har fået hele linket med. Virker det stadig ikke, så ring til den afdeling, der har sendt det."
        case .linkExpiredTitle: "Fristen for at svare er udløbet"
        case .linkExpiredText: "Dette spørgeskema kan ikke længere besvares. Ring til afdelingen, hvis du har brug for kontakt."
        case .unavailableTitle: "Spørgeskemaet kan ikke vises lige nu"
        case .unavailableText: "Prøv igen senere. Dine svar indtil nu er gemt."
        case .badFormTitle: "Siden kunne ikke læses"
        case .badFormText: "Åbn linket til spørgeskemaet igen, og prøv en gang til. Dine gemte svar er ikke gået tabt."
        case .otherLanguageName: "Dansk"
        case .skipToContent: "Gå til indholdet"
        case .serverErrorTitle: "Der skete en fejl hos os"
        case .serverErrorText(let incident): "Prøv igen om lidt. Dine tidligere svar er gemt. Fejlnummer: \(incident)."
        case .busyTitle: "Der er travlt lige nu"
        case .busyText: "Svarene på denne side blev ikke gemt. Vent et øjeblik, gå tilbage, og send siden igen. Dine tidligere svar er gemt."
        case .respondentLegend: "Hvem har udfyldt skemaet?"
        case .respondentPatient: "Jeg selv (patienten)"
        case .respondentProxy: "En pårørende på patientens vegne"
        case .relationLabel: "Din relation til patienten"
        case .relationHint: "For eksempel datter, søn eller ægtefælle."
        case .relationMissing: "Skriv din relation til patienten, når du udfylder skemaet for en anden."
        case .receiptOtherQuestionnaires: "Du har fået flere spørgeskemaer denne gang. Husk også at besvare de andre; linkene står i din besked fra afdelingen. Afdelingen ser svarene igennem, når alle er besvaret."
        case .contactLink: "Jeg vil gerne kontaktes af afdelingen"
        case .contactTitle: "Bed om at blive kontaktet"
        case .contactIntro: "Send en besked til afdelingen, så ringer en sygeplejerske eller læge til dig. Du behøver ikke udfylde spørgeskemaet først."
        case .contactMessageLabel: "Hvad drejer det sig om? (frivilligt)"
        case .contactMessageHint: "Skriv kort, hvad du gerne vil tale om. Skriv ikke noget, der haster: ring i stedet."
        case .contactSend: "Send besked"
        case .contactReceivedTitle: "Vi har modtaget din besked"
        case .contactReceivedText(let department): "\(department) kontakter dig hurtigst muligt. Har du brug for hjælp med det samme, så ring til afdelingen. Ved livsfare: ring 112."
        case .sharingLink: "Hvem kan se mine svar?"
        case .sharingTitle: "Hvem kan se dine svar"
        case .sharingIntro: "Din afdeling ser dine svar. Din egen læge og kommunens sundhedspersonale, der har dig i behandling, kan også se dem, medmindre du spærrer for dem. Kommunens sociale medarbejdere kan kun se dem, hvis du giver samtykke."
        case .sharingWho: "Hvem"
        case .sharingWhy: "Hvorfor"
        case .sharingState: "Kan se dine svar"
        case .sharingChange: "Ændr"
        case .sharingRelation(let kind): "Behandler dig (\(kind))"
        case .sharingConsentGiven(let until): "Du har givet samtykke til og med \(until)"
        case .sharingNoConsent: "Kun med dit samtykke"
        case .sharingBlocked: "Nej – du har spærret"
        case .sharingVisible: "Ja"
        case .sharingBlock: "Spær"
        case .sharingUnblock: "Ophæv spærring"
        case .sharingGiveConsent: "Giv samtykke"
        case .sharingWithdrawConsent: "Træk samtykke tilbage"
        case .sharingConsentNote: "Et samtykke gælder højst et år. Du kan trække det tilbage når som helst."
        case .sharingHistory: "Dine valg"
        case .sharingHistoryEmpty: "Du har ikke ændret noget."
        case .sharingChoice(let what): what
        case .sharingSaved: "Dit valg er gemt. Det gælder fra nu af."
        case .accessLogLink: "Hvem har set mine oplysninger?"
        case .accessLogTitle: "Hvem har set dine oplysninger"
        case .accessLogIntro: "Her kan du se, hvornår sundhedspersoner og andre har set eller ændret dine oplysninger i ByNeed, og hvorfor."
        case .accessLogEmpty: "Ingen har set dine oplysninger endnu."
        case .accessLogWhen: "Hvornår"
        case .accessLogWho: "Hvem"
        case .accessLogWhat: "Hvad"
        case .accessLogWhy: "Hvorfor"
        case .accessLogEmergency: "Nødadgang"
        }
    }

    private var english: String {
        switch self {
        case .pageOf(let page, let count): "Page \(page) of \(count)"
        case .next: "Next"
        case .back: "Back"
        case .reviewAnswers: "Review your answers"
        case .send: "Send answers"
        case .change: "Change"
        case .notAnswered: "Not answered"
        case .errorSummaryTitle: "Something is missing before you can continue"
        case .required: "(required)"
        case .otherOption: "Other, please write:"
        case .unit: "Unit"
        case .yes: "Yes"
        case .no: "No"
        case .conditionalHint(let question): "Only answer this if it fits your answer to “\(question)”."
        case .reviewTitle: "Check your answers"
        case .reviewIntro: "Your answers have not been sent yet. Check them and press “Send answers”."
        case .receiptTitle: "Thank you – your answers have been received"
        case .receiptReceived(let when): "We received your answers on \(when)."
        case .receiptNext: "The department will look through your answers. If they show that you need contact, we will call you. Otherwise you will get the next questionnaire as planned."
        case .receiptCall(let department, let phone): "If you need help before then, call \(department) on \(phone)."
        case .receiptEmergency: "In an emergency: call 112."
        case .whatNext: "What happens next?"
        case .errorPrefix: "Error:"
        case .linkUnknownTitle: "This link does not work"
        case .linkUnknownText: "Check that you have the whole link. If it still does not work, call the department that sent it."
        case .linkExpiredTitle: "The time to answer has run out"
        case .linkExpiredText: "This questionnaire can no longer be answered. Call the department if you need contact."
        case .unavailableTitle: "The questionnaire cannot be shown right now"
        case .unavailableText: "Please try again later. Your answers so far are saved."
        case .badFormTitle: "The page could not be read"
        case .badFormText: "Open the link to the questionnaire again and try once more. Your saved answers have not been lost."
        case .otherLanguageName: "English"
        case .skipToContent: "Skip to content"
        case .serverErrorTitle: "Something went wrong on our side"
        case .serverErrorText(let incident): "Please try again in a moment. Your earlier answers are saved. Error number: \(incident)."
        case .busyTitle: "We are busy right now"
        case .busyText: "The answers on this page were not saved. Wait a moment, go back and send the page again. Your earlier answers are saved."
        case .respondentLegend: "Who filled in the questionnaire?"
        case .respondentPatient: "I did (the patient)"
        case .respondentProxy: "A relative on the patient's behalf"
        case .relationLabel: "Your relation to the patient"
        case .relationHint: "For example daughter, son or spouse."
        case .relationMissing: "Write your relation to the patient when you fill in the questionnaire for someone else."
        case .receiptOtherQuestionnaires: "You were sent more than one questionnaire this time. Remember to answer the others too; the links are in your message from the department. The department looks through the answers when all are in."
        case .contactLink: "I would like the department to contact me"
        case .contactTitle: "Ask to be contacted"
        case .contactIntro: "Send a message to the department, and a nurse or doctor will call you. You do not have to fill in the questionnaire first."
        case .contactMessageLabel: "What is it about? (optional)"
        case .contactMessageHint: "Write briefly what you would like to talk about. Do not write anything urgent: call instead."
        case .contactSend: "Send message"
        case .contactReceivedTitle: "We have received your message"
        case .contactReceivedText(let department): "\(department) will contact you as soon as possible. If you need help right away, call the department. In an emergency: call 112."
        case .sharingLink: "Who can see my answers?"
        case .sharingTitle: "Who can see your answers"
        case .sharingIntro: "Your department sees your answers. Your own GP and the municipality's health staff who treat you can see them too, unless you block them. The municipality's social workers can see them only with your consent."
        case .sharingWho: "Who"
        case .sharingWhy: "Why"
        case .sharingState: "Can see your answers"
        case .sharingChange: "Change"
        case .sharingRelation(let kind): "Treats you (\(kind))"
        case .sharingConsentGiven(let until): "You gave consent until and including \(until)"
        case .sharingNoConsent: "Only with your consent"
        case .sharingBlocked: "No – you blocked them"
        case .sharingVisible: "Yes"
        case .sharingBlock: "Block"
        case .sharingUnblock: "Remove block"
        case .sharingGiveConsent: "Give consent"
        case .sharingWithdrawConsent: "Withdraw consent"
        case .sharingConsentNote: "A consent lasts at most a year. You can withdraw it at any time."
        case .sharingHistory: "Your choices"
        case .sharingHistoryEmpty: "You have not changed anything."
        case .sharingChoice(let what): what
        case .sharingSaved: "Your choice is saved. It applies from now on."
        case .accessLogLink: "Who has seen my information?"
        case .accessLogTitle: "Who has seen your information"
        case .accessLogIntro: "Here you can see when health professionals and others saw or changed your information in ByNeed, and why."
        case .accessLogEmpty: "Nobody has seen your information yet."
        case .accessLogWhen: "When"
        case .accessLogWho: "Who"
        case .accessLogWhat: "What"
        case .accessLogWhy: "Why"
        case .accessLogEmergency: "Emergency access"
        }
    }
}
