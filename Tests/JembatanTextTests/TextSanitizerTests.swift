import Testing

@testable import JembatanText

@Suite("TextSanitizer")
struct TextSanitizerTests {
    @Test("NFC: composes what has a precomposed form, exact code points")
    func normalisesToNFC() throws {
        #expect(try TextSanitizer.sanitize("e\u{301}", maxGraphemes: 10).scalarCodes == ["E9"])
        #expect(try TextSanitizer.sanitize("Cafe\u{301} Ka\u{308}se", maxGraphemes: 20).scalarCodes == "Caf\u{E9} K\u{E4}se".scalarCodes)
        #expect(try TextSanitizer.sanitize("\u{1100}\u{1161}", maxGraphemes: 10).scalarCodes == ["AC00"])
        // Already-NFC Arabic and Han pass through unchanged.
        #expect(try TextSanitizer.sanitize("مرحبا 你好", maxGraphemes: 20).scalarCodes == "مرحبا 你好".scalarCodes)
    }

    @Test("a dropped control between a letter and its mark still lets them compose")
    func normalisesAfterBidiCleanup() throws {
        #expect(try TextSanitizer.sanitize("e\u{202E}\u{301}", maxGraphemes: 10).scalarCodes == ["E9"])
    }

    @Test(
        "bidi controls: unpaired ones go, properly nested pairs stay",
        arguments: [
            ("abc\u{202E}def", "abcdef"),  // lone RLO (the "Trojan Source" trick)
            ("a\u{202B}שלום\u{202C}b", "a\u{202B}שלום\u{202C}b"),  // RLE…PDF pair
            ("x \u{2067}مرحبا\u{2069} y", "x \u{2067}مرحبا\u{2069} y"),  // RLI…PDI pair
            ("\u{2068}a\u{2066}b\u{2069}c\u{2069}", "\u{2068}a\u{2066}b\u{2069}c\u{2069}"),  // nested isolates
            ("a\u{2069}b\u{202C}c", "abc"),  // closers without openers
            ("\u{2067}a\u{202E}b\u{2069}", "\u{2067}ab\u{2069}"),  // PDI ends an RLO left open inside
            ("\u{202B}a\u{2066}b\u{202C}\u{2069}c\u{202C}", "\u{202B}a\u{2066}b\u{2069}c\u{202C}"),  // PDF cannot leave an isolate
            ("\u{202E}abc\ndef\u{202C}", "abc\ndef"),  // a newline ends the RLO; the PDF is then unmatched
            ("a\u{2067}b\u{2029}c\u{2069}", "ab\u{2029}c"),  // so does a paragraph separator
            ("\u{202A}\u{202B}x\u{202C}", "\u{202B}x\u{202C}"),  // only the inner opener is closed
        ])
    func removesUnpairedBidiControls(input: String, expected: String) throws {
        #expect(try TextSanitizer.sanitize(input, maxGraphemes: 100).scalarCodes == expected.scalarCodes)
    }

    @Test("control characters go (NUL would cut a stored string short); tab and newlines stay")
    func removesControlCharacters() throws {
        #expect(try TextSanitizer.sanitize("pass\u{0}port\u{7}\u{1B}[31m", maxGraphemes: 100) == "passport[31m")
        #expect(try TextSanitizer.sanitize("a\tb\r\nc\u{85}d", maxGraphemes: 100) == "a\tb\r\ncd")
        #expect(throws: TextRejection.empty) { try TextSanitizer.sanitize("\u{0}\u{1}", maxGraphemes: 100) }
    }

    @Test("trims Unicode whitespace at both ends, keeps it inside")
    func trimsWhitespace() throws {
        #expect(try TextSanitizer.sanitize("  hello world \n\t", maxGraphemes: 100) == "hello world")
        #expect(try TextSanitizer.sanitize("\u{3000}你好\u{3000}", maxGraphemes: 100) == "你好")
        #expect(try TextSanitizer.sanitize("\u{A0}Selamat pagi\u{A0}", maxGraphemes: 100) == "Selamat pagi")
        #expect(try TextSanitizer.sanitize("line one\nline two", maxGraphemes: 100) == "line one\nline two")
    }

    @Test("empty after clean-up is refused", arguments: ["", "   ", "\n\t\u{3000}", "\u{202E}", " \u{2066} \u{202C} "])
    func refusesEmpty(input: String) {
        #expect(throws: TextRejection.empty) { try TextSanitizer.sanitize(input, maxGraphemes: 100) }
    }

    @Test("graphemes: flags, emoji sequences and Indic syllables count as one")
    func countsGraphemeClusters() {
        #expect(TextSanitizer.graphemeCount("🇮🇩🇸🇦🇨🇳") == 3)
        #expect(TextSanitizer.graphemeCount("👍🏽") == 1)
        #expect(TextSanitizer.graphemeCount("👩‍👩‍👧‍👦") == 1)
        #expect(TextSanitizer.graphemeCount("हिंदी") == 2)  // हिं + दी
        #expect(TextSanitizer.graphemeCount("e\u{301}") == 1)
        #expect(TextSanitizer.graphemeCount("") == 0)
    }

    @Test("the limit is in graphemes, not scalars or UTF-16 units")
    func limitsByGraphemes() throws {
        // Three flags are 6 scalars and 12 UTF-16 units, but 3 graphemes.
        #expect(try TextSanitizer.sanitize("🇮🇩🇸🇦🇨🇳", maxGraphemes: 3) == "🇮🇩🇸🇦🇨🇳")
        #expect(throws: TextRejection.tooLong(limit: 3)) { try TextSanitizer.sanitize("🇮🇩🇸🇦🇨🇳🇪🇬", maxGraphemes: 3) }
        #expect(try TextSanitizer.sanitize("नमस्कार हिंदी", maxGraphemes: 12).isEmpty == false)
    }

    @Test("a 4000-grapheme limit with emoji: 4000 pass, 4001 do not")
    func limitsLongEmojiText() throws {
        let atLimit = String(repeating: "👍🏽", count: 4000)
        #expect(try TextSanitizer.sanitize(atLimit, maxGraphemes: 4000).unicodeScalars.count == 8000)
        #expect(throws: TextRejection.tooLong(limit: 4000)) {
            try TextSanitizer.sanitize(atLimit + "🇮🇩", maxGraphemes: 4000)
        }
    }

    @Test(
        "base direction follows the first strong character",
        arguments: [
            ("مرحبا، أحتاج إلى تمديد إقامتي", TextDirection.rtl),
            ("Selamat pagi", .ltr),
            ("2024 مرحبا", .rtl),  // leading digits are weak: Arabic decides
            ("١٢٣ طلب", .rtl),
            ("שלום", .rtl),
            ("hello مرحبا", .ltr),
            ("你好", .ltr),
            ("123 !? …", .ltr),  // neutral only
            ("", .ltr),
        ])
    func detectsBaseDirection(text: String, expected: TextDirection) {
        #expect(TextSanitizer.baseDirection(of: text) == expected)
    }
}

@Suite("TextSanitizer's plain-ASCII path")
struct PlainASCIISanitizerTests {
    /// Printable ASCII with tabs, newlines and carriage returns, leading and trailing blanks
    /// included, plus one control character in some: the inputs either path may take.
    static func samples() -> [String] {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array(" \t\n\r") + (0x20..<0x7F).map { Character(Unicode.Scalar(UInt8($0))) }
        return (0..<500).map { round in
            var text = String((0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            if round % 5 == 0 { text.insert("\u{7}", at: text.startIndex) }
            return text
        }
    }

    @Test("takes the same text out, and the same direction, as the full clean-up")
    func agreesWithTheFullCleanUp() throws {
        for text in Self.samples() {
            let full = TextSanitizer.trimmingWhitespace(
                TextSanitizer.normalizedNFC(BidiControls.removingUnpaired(from: TextSanitizer.removingControlCharacters(text))))
            let result = Result { () throws(TextRejection) in try TextSanitizer.sanitize(text, maxGraphemes: 100) }
            if full.isEmpty {
                #expect(throws: TextRejection.empty) { try TextSanitizer.sanitize(text, maxGraphemes: 100) }
            } else {
                #expect(try result.get() == full, "\(text.debugDescription)")
            }
            #expect(TextSanitizer.baseDirection(of: text) == .ltr)
        }
    }

    @Test("only printable ASCII, tab, LF and CR take it")
    func recognisesPlainASCII() {
        #expect(TextSanitizer.isPlainASCII("Halo, saya mau tanya soal visa.\r\n\tTerima kasih!"))
        #expect(TextSanitizer.isPlainASCII(""))
        for other in ["a\u{0}b", "\u{7F}", "\u{1B}[0m", "caf\u{E9}", "\u{202E}abc", "مرحبا", "你好", "a\u{B}b"] {
            #expect(!TextSanitizer.isPlainASCII(other), "\(other.debugDescription)")
        }
    }
}
