internal import CICU

/// Display names come from tokens and are shown to other people: they are cleaned of what
/// could hide or reorder text, and checked for look-alike characters that could let someone
/// pass for a member of staff.
public enum DisplayName {
    /// NFC; no control, bidi or other invisible format characters (a zero-width joiner or
    /// non-joiner stays only between two letters, where Arabic and Indic spelling needs it);
    /// runs of white space become one space; trimmed; at most `maxGraphemes` characters.
    public static func clean(_ name: String, maxGraphemes: Int = 64) -> String {
        let scalars = Array(TextSanitizer.normalizedNFC(name).unicodeScalars)
        var kept = String.UnicodeScalarView()
        var lastWasSpace = true
        for (index, scalar) in scalars.enumerated() {
            let properties = scalar.properties
            if properties.isWhitespace || properties.generalCategory == .control {
                if !lastWasSpace { kept.append(" ") }
                lastWasSpace = true
                continue
            }
            if properties.generalCategory == .format {
                let joiner = scalar.value == 0x200C || scalar.value == 0x200D
                let betweenLetters =
                    index > 0 && index + 1 < scalars.count && scalars[index - 1].properties.isAlphabetic
                    && scalars[index + 1].properties.isAlphabetic
                guard joiner && betweenLetters else { continue }
            }
            kept.append(scalar)
            lastWasSpace = false
        }
        var cleaned = String(kept)
        if cleaned.hasSuffix(" ") { cleaned.removeLast() }
        if TextSanitizer.graphemeCount(cleaned) > maxGraphemes { cleaned = String(cleaned.prefix(maxGraphemes)) }
        return cleaned
    }

    /// True when ICU's spoof checker flags the name: scripts mixed beyond what real names
    /// do (a Cyrillic "і" inside "Siti"), mixed-script confusables, invisible characters.
    public static func isSuspicious(_ name: String) -> Bool {
        ICUCall.withUTF16(name) { units, length in
            var status = CICU_ZERO_ERROR
            return cicu_spoof_suspicious(units, length, &status) == 1
        }
    }

    /// True when the two names can be mistaken for each other.
    public static func areConfusable(_ a: String, _ b: String) -> Bool {
        ICUCall.withUTF16(a) { aUnits, aLength in
            ICUCall.withUTF16(b) { bUnits, bLength in
                var status = CICU_ZERO_ERROR
                return cicu_spoof_confusable(aUnits, aLength, bUnits, bLength, &status) == 1
            }
        }
    }
}
