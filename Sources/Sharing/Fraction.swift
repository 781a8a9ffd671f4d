/// An exact rational number for the small linear systems of `Disclosure`; always reduced,
/// with a positive denominator. Overflow traps, which for tables of realistic size (cells
/// and sums have coefficients 0 and ±1) does not happen.
struct Fraction: Hashable {
    static let zero = Fraction(0)

    let numerator: Int
    let denominator: Int

    init(_ integer: Int) {
        numerator = integer
        denominator = 1
    }

    init(_ numerator: Int, _ denominator: Int) {
        precondition(denominator != 0, "Fraction: zero denominator")
        let divisor = Fraction.gcd(abs(numerator), abs(denominator))
        let sign = denominator < 0 ? -1 : 1
        self.numerator = sign * numerator / divisor
        self.denominator = sign * denominator / divisor
    }

    var isZero: Bool { numerator == 0 }

    static func - (lhs: Fraction, rhs: Fraction) -> Fraction {
        Fraction(lhs.numerator * rhs.denominator - rhs.numerator * lhs.denominator, lhs.denominator * rhs.denominator)
    }

    static func * (lhs: Fraction, rhs: Fraction) -> Fraction {
        Fraction(lhs.numerator * rhs.numerator, lhs.denominator * rhs.denominator)
    }

    static func / (lhs: Fraction, rhs: Fraction) -> Fraction {
        Fraction(lhs.numerator * rhs.denominator, lhs.denominator * rhs.numerator)
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        b == 0 ? max(a, 1) : gcd(b, a % b)
    }
}
