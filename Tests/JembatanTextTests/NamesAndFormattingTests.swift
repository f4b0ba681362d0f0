import Foundation
import Testing

@testable import JembatanText

@Suite struct NamesAcrossScriptsTests {
    @Test(arguments: [("王伟", "wang wei"), ("李小龙", "li xiao long"), ("Siti", "Siti")])
    func transliteratesToLatinASCII(name: String, latin: String) {
        #expect(Transliteration.latin(name) == latin)
    }

    @Test func arabicNamesGetAnASCIILatinForm() {
        let latin = Transliteration.latin("ليلى")
        #expect(!latin.isEmpty && latin.unicodeScalars.allSatisfy(\.isASCII))
        #expect(Transliteration.latinIfNeeded("ليلى") == latin)
        #expect(Transliteration.latinIfNeeded("Siti Rahma") == nil)
    }

    @Test(arguments: ["Siti", "ليلى", "王伟", "Siti Rahma binti Ahmad", "Nguyễn Văn An", "عبد الله"])
    func realNamesAreNotSuspicious(name: String) {
        #expect(!DisplayName.isSuspicious(name))
    }

    @Test func aCyrillicLetterInsideALatinNameIsSuspiciousAndConfusable() {
        let impostor = "S\u{0456}ti"  // Cyrillic і
        #expect(DisplayName.isSuspicious(impostor))
        #expect(DisplayName.areConfusable("Siti", impostor))
        #expect(!DisplayName.areConfusable("Siti", "Budi"))
    }

    @Test(arguments: [
        ("Siti\u{202E}nimda", "Sitinimda"),  // RLO removed
        ("  Budi \t\n Santoso  ", "Budi Santoso"),
        ("Ah\u{200B}mad", "Ahmad"),  // zero-width space removed
        ("می\u{200C}خواهم", "می\u{200C}خواهم"),  // ZWNJ between letters stays
        ("\u{200D}Ana", "Ana"),
    ])
    func displayNamesAreCleaned(raw: String, clean: String) {
        #expect(DisplayName.clean(raw) == clean)
    }

    @Test func displayNamesAreLimitedInGraphemes() {
        #expect(DisplayName.clean(String(repeating: "🇮🇩", count: 100), maxGraphemes: 64).count == 64)
    }

    @Test func namesSortByTheViewersCollation() {
        #expect(NameCollator(locale: "id").sorted(["budi", "Ahmad", "Çelik", "citra"]) == ["Ahmad", "budi", "Çelik", "citra"])
        // Mandarin collation orders Han names by pinyin: Li, Wang, Zhang.
        #expect(NameCollator(locale: "zh").sorted(["张伟", "王伟", "李娜"]) == ["李娜", "王伟", "张伟"])
    }

    @Test(arguments: [("wang", "王伟", true), ("SITI", "Siti Rahma", true), ("nguyen", "Nguyễn Văn An", true), ("budi", "王伟", false)])
    func searchFindsNamesByTheirLatinForm(query: String, name: String, found: Bool) {
        #expect(NameSearch.matches(query: query, name: name) == found)
    }
}

@Suite struct LocaleFormattingTests {
    let instant = Date(timeIntervalSince1970: 1_796_459_400)  // 2026-12-05T08:30:00Z

    @Test(arguments: [("Asia/Jakarta", "15.30"), ("Asia/Makassar", "16.30"), ("Asia/Jayapura", "17.30")])
    func timesFollowTheOfficeTimeZone(zone: String, expected: String) {
        #expect(LocaleFormatter(locale: "id", timeZone: zone).time(instant) == expected)
    }

    @Test func arabicUsesArabicIndicDigitsUnlessLatinIsChosen() {
        #expect(LocaleFormatter(locale: "ar").number(1234) == "١٬٢٣٤")
        #expect(LocaleFormatter(locale: "ar", digits: .latin).number(1234) == "1,234")
        #expect(LocaleFormatter(locale: "id").number(1234.5) == "1.234,5")
    }

    @Test(arguments: [
        ("en", 300, "5 minutes"), ("en", 3900, "1 hour, 5 minutes"), ("id", 3900, "1 jam, 5 menit"), ("zh", 3600, "1小时"),
    ])
    func durationsAreInWords(locale: String, seconds: Int, expected: String) {
        #expect(LocaleFormatter(locale: locale).duration(seconds: seconds) == expected)
    }

    @Test func arabicDurationsUseArabicPluralsAndDigits() {
        let two = LocaleFormatter(locale: "ar").duration(seconds: 120)
        let eleven = LocaleFormatter(locale: "ar").duration(seconds: 660)
        #expect(two != eleven && !two.isEmpty)
        #expect(eleven.contains("١١"))
    }

    @Test func datesAreInTheReadersLanguage() {
        #expect(LocaleFormatter(locale: "en").date(instant) == "Dec 5, 2026")
        #expect(LocaleFormatter(locale: "zh").date(instant, style: .long) == "2026年12月5日")
        #expect(LocaleFormatter(locale: "id").date(instant, style: .long) == "5 Desember 2026")
    }

    @Test func theCatalogCanWriteLatinDigitsInArabic() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Locales")
        let native = try TemplateCatalog(directory: folder)
        let latin = try TemplateCatalog(directory: folder, digits: .latin)
        let args: [String: TemplateArgument] = ["position": .number(12), "wait_minutes": .number(15)]
        #expect(native.render("queue.position", args, locale: "ar").contains("١١"))
        #expect(latin.render("queue.position", args, locale: "ar").contains("11"))
    }
}
