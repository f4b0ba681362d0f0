import Foundation

/// Finds a person by what a member of staff types: case, accents and spacing do not matter,
/// and a name in Arabic or Han script is also found by its Latin transliteration.
public enum NameSearch {
    /// True when `query` occurs in `name` or in its Latin transliteration, ignoring case,
    /// accents, character width and spaces: "wang" and "wangwei" find "王伟", "siti" finds
    /// "Siti", "lyl" finds "ليلى" (ICU: "lyly").
    ///
    /// Arabic script writes no short vowels, so a name typed the usual way ("Layla", "Ahmad",
    /// "Fatima") is also compared by its consonants with the transliteration's ("lyly",
    /// "ahmd", "fatmt"), doubled letters once: "layla" → "lyl" is found in "lyly". An empty
    /// query matches nothing.
    public static func matches(query: String, name: String) -> Bool {
        let wanted = compact(fold(query))
        guard !wanted.isEmpty else { return false }
        let latin = fold(Transliteration.latin(name))
        if compact(fold(name)).contains(wanted) || compact(latin).contains(wanted) { return true }
        guard name.unicodeScalars.contains(where: isArabicScript) else { return false }
        let skeleton = consonants(wanted)
        return skeleton.count >= 2 && consonants(latin).contains(skeleton)
    }

    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    /// `text` without white space.
    static func compact(_ text: String) -> String { text.filter { !$0.isWhitespace } }

    /// The Latin letters of `text` without the vowels a, e, i, o, u, and with runs of one letter
    /// as one ("muhammad" → "mhmd").
    static func consonants(_ text: String) -> String {
        var result = ""
        for character in text where character.isASCII && character.isLetter && !"aeiou".contains(character) {
            if result.last != character { result.append(character) }
        }
        return result
    }

    /// Arabic, Arabic Supplement, Extended-A/B and the presentation forms.
    static func isArabicScript(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0600...0x06FF, 0x0750...0x077F, 0x0870...0x08FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF: true
        default: false
        }
    }
}
