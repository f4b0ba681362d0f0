internal import CICU

/// Latin renderings of names in other scripts, for staff who cannot read Arabic or Han
/// characters and for search.
public enum Transliteration {
    /// `text` in plain ASCII Latin (ICU "Any-Latin; Latin-ASCII", after NFKC; the ʿayn sign
    /// becomes an apostrophe and what no rule covers, such as emoji, is dropped), with single
    /// spaces and none at either end: "王伟" → "wang wei", "ليلى" → "lyly" (Arabic script writes
    /// no short vowels, and ICU adds none), "Nguyễn" → "Nguyen". Thread-safe: the facade keeps
    /// one transliterator behind a lock.
    public static func latin(_ text: String) -> String {
        guard !text.isEmpty else { return "" }
        let result = try? ICUCall.withUTF16(text) { units, length throws(ICUError) in
            try ICUCall.string(hint: Int(length) * 4 + 8) { dest, capacity, status in
                cicu_transliterate_latin(units, length, dest, capacity, &status)
            }
        }
        return (result ?? text).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The Latin form when `name` is not already Latin (ASCII), else nil: what a staff list
    /// shows beside the original.
    public static func latinIfNeeded(_ name: String) -> String? {
        guard !name.unicodeScalars.allSatisfy(\.isASCII) else { return nil }
        let latin = latin(name)
        return latin.isEmpty || latin == name ? nil : latin
    }
}
