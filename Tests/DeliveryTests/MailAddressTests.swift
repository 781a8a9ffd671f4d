import Testing
@testable import Delivery

@Test("Addresses in the accepted subset of RFC 5321 §4.1.2 are accepted", arguments: [
    "patient@example.dk",
    "first.last+reminders@sub.example.co.uk",
    "o'brien@x.dk",
    "a@localhost",
    "user_1-2=3@xn--rg-eka.dk",
    "ALL.CAPS@EXAMPLE.DK",
    String(repeating: "l", count: 64) + "@example.dk",
    "x@" + String(repeating: "d", count: 63) + ".dk",
])
func validAddresses(address: String) throws {
    let mailbox = try MailAddress(address)
    #expect(mailbox.address == address)
    #expect("\(mailbox.localPart)@\(mailbox.domain)" == address)
}

@Test("Invalid addresses are refused with an error that says what is wrong", arguments: [
    ("", .empty),
    ("patient.example.dk", .missingAt),
    ("@example.dk", .emptyLocalPart),
    ("patient@", .emptyDomain),
    ("pa tient@example.dk", .forbiddenCharacter(" ")),
    ("patient@exam ple.dk", .forbiddenCharacter(" ")),
    ("patient\r\nBcc: x@y.dk@example.dk", .forbiddenCharacter("\r")),
    ("patient@example.dk\r\nRCPT TO:<x@y.dk>", .forbiddenCharacter("@")),
    ("patient@example.dk>", .forbiddenCharacter(">")),
    ("\"quoted\"@example.dk", .forbiddenCharacter("\"")),
    ("a@b@example.dk", .forbiddenCharacter("@")),
    ("patient@[127.0.0.1]", .forbiddenCharacter("[")),
    ("tab\t@example.dk", .forbiddenCharacter("\t")),
    ("søren@example.dk", .nonASCII("ø")),
    ("soren@æble.dk", .nonASCII("æ")),
    (".patient@example.dk", .misplacedDot),
    ("patient.@example.dk", .misplacedDot),
    ("pa..tient@example.dk", .misplacedDot),
    ("patient@example..dk", .emptyLabel),
    ("patient@.example.dk", .emptyLabel),
    ("patient@example.dk.", .emptyLabel),
    ("patient@-example.dk", .misplacedHyphen("-example")),
    ("patient@example-.dk", .misplacedHyphen("example-")),
    ("patient@under_score.dk", .forbiddenCharacter("_")),
    ("x@" + String(repeating: "d", count: 64) + ".dk", .labelTooLong(String(repeating: "d", count: 64))),
    (String(repeating: "l", count: 65) + "@example.dk", .localPartTooLong(octets: 65)),
    ("x@" + Array(repeating: String(repeating: "d", count: 60), count: 5).joined(separator: "."), .domainTooLong(octets: 304)),
    (String(repeating: "l", count: 64) + "@" + Array(repeating: String(repeating: "d", count: 60), count: 4).joined(separator: "."),
     .addressTooLong(octets: 308)),
] as [(String, AddressProblem)])
func invalidAddresses(address: String, problem: AddressProblem) {
    #expect(throws: DeliveryError.invalidAddress(address, problem)) { try MailAddress(address) }
}

@Test("Address errors are readable for staff")
func addressErrorDescription() {
    #expect("\(DeliveryError.invalidAddress("søren@x.dk", .nonASCII("ø")))"
        == "invalid mail address 'søren@x.dk': it contains 'ø'; only ASCII letters are supported in addresses")
    #expect("\(DeliveryError.invalidAddress("a\u{1}@x.dk", .forbiddenCharacter("\u{1}")))"
        == "invalid mail address 'a\u{1}@x.dk': it contains the control character U+0001, which is not allowed here")
    #expect(AddressProblem.localPartTooLong(octets: 70).description
        == "the part before the @ is 70 characters long; at most 64 are allowed")
}

@Test("An empty display name counts as none")
func emptyDisplayName() throws {
    #expect(try MailAddress("a@b.dk", displayName: "").displayName == nil)
}
