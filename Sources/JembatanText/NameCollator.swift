internal import CICU
import Foundation

/// Sorts names the way readers of a locale expect (ICU collation): Indonesian and English
/// alphabetically, Mandarin by pinyin, Arabic in its alphabet's order.
public struct NameCollator: Sendable {
    public let locale: String

    public init(locale: String) { self.locale = locale }

    /// Negative, zero or positive, like `strcmp`.
    public func compare(_ a: String, _ b: String) -> Int {
        let result = ICUCall.withUTF16(a) { aUnits, aLength in
            ICUCall.withUTF16(b) { bUnits, bLength in
                var status = CICU_ZERO_ERROR
                return locale.withCString { cicu_collate($0, aUnits, aLength, bUnits, bLength, &status) }
            }
        }
        return Int(result)
    }

    public func sorted(_ names: [String]) -> [String] {
        names.sorted { compare($0, $1) < 0 }
    }
}

/// Finds a person by what a member of staff types: case and accents do not matter, and a
/// name in Arabic or Han script is also found by its Latin transliteration ("wang" finds 王伟).
public enum NameSearch {
    public static func matches(query: String, name: String) -> Bool {
        let wanted = fold(query)
        guard !wanted.isEmpty else { return false }
        return fold(name).contains(wanted) || fold(Transliteration.latin(name)).contains(wanted)
    }

    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .trimmingCharacters(in: .whitespaces)
    }
}
