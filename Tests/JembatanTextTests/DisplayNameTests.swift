import Testing

@testable import JembatanText

@Suite("Display names: cleaning and spoof checks")
struct DisplayNameTests {
    @Test(
        "invisible, bidi and control characters go; white space collapses; NFC",
        arguments: [
            ("Siti\u{202E}nimda", "Sitinimda"),  // RLO (Trojan Source)
            ("\u{2067}Budi\u{2069}", "Budi"),  // even a balanced isolate: a name needs none
            ("\u{200F}ليلى\u{200E}", "ليلى"),  // RLM, LRM
            ("\u{061C}ليلى", "ليلى"),  // Arabic letter mark
            ("Ah\u{200B}mad", "Ahmad"),  // zero-width space
            ("Ana\u{00AD}bel", "Anabel"),  // soft hyphen
            ("\u{FEFF}Dewi", "Dewi"),  // byte order mark
            ("\u{3164}", ""),  // Hangul filler: a "blank" name
            ("Budi\t\t\tSantoso", "Budi Santoso"),
            ("  Budi \t\n Santoso  ", "Budi Santoso"),
            ("Budi\u{00A0}\u{3000}Santoso", "Budi Santoso"),  // no-break and ideographic spaces
            ("Budi\u{0}\u{7}Santoso", "Budi Santoso"),  // control characters count as a break
            ("Siti \u{200B} Rahma", "Siti Rahma"),
            ("Jose\u{301}", "José"),  // NFC
            ("Jose\u{200B}\u{301}", "José"),  // composes once the invisible character is gone
        ])
    func cleansNames(raw: String, clean: String) {
        let cleaned = DisplayName.clean(raw)
        #expect(cleaned == clean)
        #expect(cleaned.scalarCodes == clean.scalarCodes)
    }

    @Test(
        "joiners and selectors stay where writing needs them",
        arguments: [
            "می\u{200C}خواهم",  // Persian ZWNJ between letters
            "क्\u{200D}ष",  // Devanagari: ZWJ after a virama
            "👨\u{200D}👩\u{200D}👧 Keluarga",  // an emoji family is one picture
            "❤\u{FE0F} Ana",  // emoji presentation selector
        ])
    func keepsNeededJoiners(name: String) {
        #expect(DisplayName.clean(name).scalarCodes == name.scalarCodes)
    }

    @Test(
        "joiners that join nothing go",
        arguments: [("\u{200D}Ana", "Ana"), ("Ana\u{200C}", "Ana"), ("a\u{200D}1", "a1"), ("\u{FE0F}Ana", "Ana")])
    func dropsStrayJoiners(raw: String, clean: String) {
        #expect(DisplayName.clean(raw).scalarCodes == clean.scalarCodes)
    }

    @Test("long names are cut at a grapheme boundary, with no space left at the end")
    func truncatesByGraphemes() {
        let long = String(repeating: "Siti Rahma ", count: 10)
        let cleaned = DisplayName.clean(long)
        #expect(TextSanitizer.graphemeCount(cleaned) == 64)
        #expect(cleaned.hasPrefix("Siti Rahma Siti") && !cleaned.hasSuffix(" "))
        #expect(DisplayName.clean(long, maxGraphemes: 5) == "Siti")
        // A family emoji (5 scalars) and an Arabic letter with marks are one each.
        #expect(DisplayName.clean("👨\u{200D}👩\u{200D}👧👨\u{200D}👩\u{200D}👧", maxGraphemes: 1) == "👨\u{200D}👩\u{200D}👧")
        // ب with shadda and kasra, which NFC puts in canonical order (kasra first).
        #expect(DisplayName.clean("بِّسم", maxGraphemes: 1).scalarCodes == ["628", "650", "651"])
        #expect(DisplayName.clean("Ana", maxGraphemes: 0) == "")
        #expect(DisplayName.clean(String(repeating: "🇮🇩", count: 100)) == String(repeating: "🇮🇩", count: 64))
    }

    @Test(
        "real names in the four languages pass the spoof check",
        arguments: [
            "Siti", "ليلى", "王伟", "Siti Rahma binti Ahmad", "Nguyễn Văn An", "عبد الله", "Сергей", "Siti 王伟", "Layla ليلى",
        ])
    func realNamesPass(name: String) {
        #expect(!SpoofCheck.isMixedScriptConfusable(name))
        #expect(!DisplayName.isSuspicious(name))
    }

    @Test(
        "look-alike letters from another script are flagged",
        arguments: [
            "S\u{0456}ti",  // Cyrillic і
            "\u{0405}iti",  // Cyrillic Ѕ
            "Ahm\u{0430}d",  // Cyrillic а
            "\u{0440}\u{0430}y\u{0440}al",  // Cyrillic р, а
            "Bud\u{03B9}",  // Greek iota
        ])
    func impostorsAreFlagged(name: String) {
        #expect(SpoofCheck.isMixedScriptConfusable(name))
    }

    @Test(
        "pairs that can be mistaken for each other",
        arguments: [
            ("Siti", "S\u{0456}ti", true),  // mixed-script
            ("Rahman", "Rahrnan", true),  // same-script: rn and m
            ("Siti", "siti", true),  // case ignored
            ("Siti", "Siti", true),  // a name and itself
            ("ليلى", "ليلي", true),  // alef maqsura and ya
            ("Siti", "Budi", false),
            ("王伟", "王玮", false),
        ])
    func confusablePairs(a: String, b: String, confusable: Bool) {
        #expect(SpoofCheck.areConfusable(a, b) == confusable)
        #expect(DisplayName.areConfusable(b, a) == confusable)
    }
}
