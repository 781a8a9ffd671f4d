import Foundation

/// Sort keys that put Danish names in Danish alphabetical order.
///
/// The Danish alphabet ends … x, y, z, æ, ø, å (Dansk Sprognævn, Retskrivningsordbogen);
/// ä and ö sort as æ and ø. Other accents are ignored (é as e), and so is case.
struct DanishCollation: Comparable {
    /// Unicode scalar values, with æ, ø and å moved just after z (U+007A).
    let scalars: [UInt32]

    static func key(_ text: String) -> DanishCollation {
        let z: UInt32 = 0x7A
        var scalars: [UInt32] = []
        for character in text.lowercased() {
            switch character {
            case "æ", "ä": scalars.append(z + 1)
            case "ø", "ö": scalars.append(z + 2)
            case "å": scalars.append(z + 3)
            default:
                let decomposed = String(character).decomposedStringWithCanonicalMapping.unicodeScalars
                scalars += decomposed.filter { !(0x300...0x36F).contains($0.value) }.map(\.value)
            }
        }
        return DanishCollation(scalars: scalars)
    }

    static func < (lhs: DanishCollation, rhs: DanishCollation) -> Bool {
        lhs.scalars.lexicographicallyPrecedes(rhs.scalars)
    }
}
