internal import CICU

/// Display names come from tokens and are shown to other people: they are cleaned of what
/// could hide or reorder text, and checked for look-alike characters that could let someone
/// pass for a member of staff.
public enum DisplayName {
    /// The name as others should see it:
    /// - no control characters, no bidi controls (LRM, RLO, isolates, ALM …) and no other
    ///   invisible characters (general category Cf and the other default-ignorable code points,
    ///   such as Hangul fillers), except a zero-width non-joiner or joiner between two letters,
    ///   where Persian, Arabic and Indic spelling needs it, a zero-width joiner inside an emoji
    ///   sequence (a family stays one picture), and variation selectors after a visible character;
    /// - runs of white space become one space, and none at either end;
    /// - NFC, and at most `maxGraphemes` grapheme clusters (ICU's count, as `TextSanitizer`).
    public static func clean(_ name: String, maxGraphemes: Int = 64) -> String {
        let scalars = Array(name.unicodeScalars)
        var kept = String.UnicodeScalarView()
        var spaceBefore = false
        for index in scalars.indices {
            let scalar = scalars[index]
            if isSpaceOrControl(scalar) {
                spaceBefore = !kept.isEmpty
                continue
            }
            if isInvisible(scalar), !isNeeded(at: index, in: scalars) { continue }
            if spaceBefore { kept.append(" ") }
            spaceBefore = false
            kept.append(scalar)
        }
        // NFC after the removals: a dropped character may have sat between a letter and its mark.
        return prefix(TextSanitizer.normalizedNFC(String(kept)), graphemes: maxGraphemes)
    }

    /// True when ICU's spoof checker flags the name (see `SpoofCheck.isMixedScriptConfusable`).
    public static func isSuspicious(_ name: String) -> Bool { SpoofCheck.isMixedScriptConfusable(name) }

    /// True when the two names can be mistaken for each other (see `SpoofCheck.areConfusable`).
    public static func areConfusable(_ a: String, _ b: String) -> Bool { SpoofCheck.areConfusable(a, b) }

    static let zeroWidthNonJoiner: UInt32 = 0x200C
    static let zeroWidthJoiner: UInt32 = 0x200D

    static func isSpaceOrControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
    }

    /// Format characters and the other default-ignorable code points: drawn as nothing.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .format || scalar.properties.isDefaultIgnorableCodePoint
    }

    /// Whether the invisible character at `index` shapes its neighbours and stays.
    static func isNeeded(at index: Int, in scalars: [Unicode.Scalar]) -> Bool {
        guard index > 0 else { return false }
        let before = scalars[index - 1]
        let after = index + 1 < scalars.count ? scalars[index + 1] : nil
        switch scalars[index].value {
        case zeroWidthNonJoiner, zeroWidthJoiner:
            guard let after else { return false }
            if isLetterOrMark(before) && isLetterOrMark(after) { return true }
            return scalars[index].value == zeroWidthJoiner && isEmojiPart(before) && isPictograph(after)
        case 0xFE00...0xFE0F, 0xE0100...0xE01EF, 0x180B...0x180D, 0x180F:  // variation selectors
            return !isSpaceOrControl(before) && !isInvisible(before)
        default:
            return false
        }
    }

    static func isLetterOrMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark:
            true
        default: false
        }
    }

    /// An emoji that is not also an ASCII character (digits, "#" and "*" are Emoji too).
    static func isPictograph(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isEmoji && !scalar.isASCII }

    /// What may precede the joiner of an emoji ZWJ sequence: an emoji, its presentation selector
    /// or its skin-tone modifier.
    static func isEmojiPart(_ scalar: Unicode.Scalar) -> Bool {
        isPictograph(scalar) || scalar.value == 0xFE0F || scalar.properties.isEmojiModifier
    }

    /// At most `limit` grapheme clusters of `text` by ICU's break rules, without a space or
    /// joiner left dangling at the end.
    static func prefix(_ text: String, graphemes limit: Int) -> String {
        let units = Array(text.utf16)
        guard units.count > limit else { return text }
        var status = CICU_ZERO_ERROR
        let end = units.withUnsafeBufferPointer { buffer in
            cicu_grapheme_prefix_length(buffer.baseAddress, Int32(buffer.count), Int32(clamping: max(0, limit)), &status)
        }
        // ICU fails here only without memory; Swift's clusters follow the same UAX #29 rules.
        var cut =
            status > CICU_ZERO_ERROR
            ? String(text.prefix(limit)).unicodeScalars : String(decoding: units[..<Int(end)], as: UTF16.self).unicodeScalars
        while let last = cut.last, last == " " || last.value == zeroWidthJoiner || last.value == zeroWidthNonJoiner {
            cut.removeLast()
        }
        return String(cut)
    }
}
