internal import CICU

/// ICU's spoof checker (UTS #39) for names shown to other people, so that nobody passes for a
/// member of staff with look-alike letters from another script.
public enum SpoofCheck {
    /// True when ICU flags `name` (uspoof_check2): letters of several scripts mixed beyond what
    /// real names do (ICU's moderately restrictive level: Latin may go with Han, Arabic or one
    /// other script, not Latin with Cyrillic or Greek), a mixed-script confusable, or stacked
    /// invisible marks. "Siti" with a Cyrillic "і" is flagged; "Siti", "ليلى", "王伟" and
    /// "Siti Rahma binti Ahmad" are not.
    public static func isMixedScriptConfusable(_ name: String) -> Bool {
        ICUCall.withUTF16(name) { units, length in
            var status = CICU_ZERO_ERROR
            return cicu_spoof_suspicious(units, length, &status) == 1
        }
    }

    /// True when `a` and `b` can be mistaken for each other (uspoof_areConfusable, all three
    /// kinds: same-script such as "Rahman"/"Rahrnan", mixed-script such as "Siti"/"Sіti",
    /// whole-script). Case is ignored, so a name is also confusable with itself in other
    /// capitals — and with itself: compare an applicant's name against staff names with it.
    public static func areConfusable(_ a: String, _ b: String) -> Bool {
        ICUCall.withUTF16(a) { aUnits, aLength in
            ICUCall.withUTF16(b) { bUnits, bLength in
                var status = CICU_ZERO_ERROR
                return cicu_spoof_confusable(aUnits, aLength, bUnits, bLength, &status) == 1
            }
        }
    }
}
