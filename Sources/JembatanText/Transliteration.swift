internal import CICU
import Foundation

/// Latin renderings of names in other scripts, for staff who cannot read Arabic or Han
/// characters and for search (ICU "Any-Latin; Latin-ASCII": "王伟" → "wang wei").
public enum Transliteration {
    public static func latin(_ text: String) -> String {
        guard !text.isEmpty else { return "" }
        let result = try? ICUCall.withUTF16(text) { units, length throws(ICUError) in
            try ICUCall.string(hint: Int(length) * 3 + 8) { dest, capacity, status in
                cicu_transliterate_latin(units, length, dest, capacity, &status)
            }
        }
        return result ?? text
    }

    /// The Latin form when `name` is not already Latin (ASCII), else nil: what a staff list
    /// shows beside the original.
    public static func latinIfNeeded(_ name: String) -> String? {
        guard !name.unicodeScalars.allSatisfy(\.isASCII) else { return nil }
        let latin = latin(name).trimmingCharacters(in: .whitespaces)
        return latin.isEmpty || latin == name ? nil : latin
    }
}
