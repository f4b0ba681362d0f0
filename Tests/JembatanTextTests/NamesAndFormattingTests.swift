import Foundation
import Testing

@testable import JembatanText

@Suite struct NamesAcrossScriptsTests {
    @Test(arguments: [
        ("王伟", "wang wei"), ("张伟", "zhang wei"), ("李小龙", "li xiao long"),
        // Arabic script writes no short vowels and ICU adds none.
        ("ليلى", "lyly"), ("محمد", "mhmd"), ("أحمد", "ahmd"), ("فاطمة", "fatmt"), ("عبد الله", "'bd allh"),
        ("Nguyễn Văn An", "Nguyen Van An"), ("Siti", "Siti"), ("𝓢𝓲𝓽𝓲", "Siti"), ("王伟 🌸", "wang wei"),
    ])
    func transliteratesToLatinASCII(name: String, latin: String) {
        let result = Transliteration.latin(name)
        #expect(result == latin)
        #expect(result.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func arabicNamesGetAnASCIILatinForm() {
        let latin = Transliteration.latin("ليلى")
        #expect(!latin.isEmpty && latin.unicodeScalars.allSatisfy(\.isASCII))
        #expect(Transliteration.latinIfNeeded("ليلى") == latin)
        #expect(Transliteration.latinIfNeeded("Siti Rahma") == nil)
    }

    @Test func longHanNamesAreTransliteratedWhole() {
        // One Han character can become seven letters: more than a fixed-size buffer allows.
        let latin = Transliteration.latin(String(repeating: "王小明", count: 40))
        #expect(latin.split(separator: " ").count == 120)
        #expect(latin.hasPrefix("wang xiao ming wang") && latin.hasSuffix("ming"))
    }

    @Test func namesSortByTheViewersCollation() {
        #expect(NameCollator(locale: "id").sorted(["budi", "Ahmad", "Çelik", "citra"]) == ["Ahmad", "budi", "Çelik", "citra"])
        // Mandarin collation orders Han names by pinyin: Chen, Li, Liu, Wang, Zhang, Zhao.
        #expect(NameCollator(locale: "zh").sorted(["张伟", "王伟", "李娜", "赵敏", "陈静", "刘洋"]) == ["陈静", "李娜", "刘洋", "王伟", "张伟", "赵敏"])
        #expect(NameCollator(locale: "zh-Hans-CN").sorted(["张伟", "王伟", "李娜"]) == ["李娜", "王伟", "张伟"])
        #expect(NameCollator(locale: "ar").sorted(["ياسر", "محمد", "أحمد", "ليلى", "بلال"]) == ["أحمد", "بلال", "ليلى", "محمد", "ياسر"])
    }

    @Test(
        "Indonesian and English order: accents and case after the letter",
        arguments: ["id", "en"])
    func latinNamesSortAlphabetically(locale: String) {
        let names = ["Zainal", "siti", "Ádi", "Budi", "ahmad", "Dewi", "budi", "Siti", "Çelik"]
        let sorted = NameCollator(locale: locale).sorted(names)
        #expect(sorted == ["Ádi", "ahmad", "budi", "Budi", "Çelik", "Dewi", "siti", "Siti", "Zainal"])
        // Sort keys give the order compare gives.
        let collator = NameCollator(locale: locale)
        #expect(names.sorted { collator.compare($0, $1) < 0 } == sorted)
        #expect(collator.compare("Budi", "Budi") == 0 && collator.compare("Ahmad", "Budi") < 0 && collator.compare("Zainal", "Ádi") > 0)
    }

    @Test(arguments: [
        ("wang", "王伟", true), ("wangwei", "王伟", true), ("WANG WEI", "王伟", true), ("zhang", "王伟", false),
        ("SITI", "Siti Rahma", true), ("siti rahma", "Siti Rahma", true), ("nguyen", "Nguyễn Văn An", true), ("ｓｉｔｉ", "Siti", true),
        ("lyl", "ليلى", true), ("layla", "ليلى", true), ("ahmad", "أحمد", true), ("fatima", "فاطمة", true),
        ("abdullah", "عبد الله", true), ("ليلى", "ليلى", true),
        ("budi", "王伟", false), ("budi", "ليلى", false), ("", "Siti", false), (" ", "Siti", false),
    ])
    func searchFindsNamesByTheirLatinForm(query: String, name: String, found: Bool) {
        #expect(NameSearch.matches(query: query, name: name) == found)
    }

    @Test("transliteration and collation are safe from many threads at once")
    func namesConcurrently() async {
        let names = ["张伟", "王伟", "李娜", "ليلى", "محمد", "Siti"]
        let expectedLatin = names.map(Transliteration.latin)
        let expectedOrder = NameCollator(locale: "zh").sorted(names)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    (0..<50).allSatisfy { _ in
                        names.map(Transliteration.latin) == expectedLatin && NameCollator(locale: "zh").sorted(names) == expectedOrder
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
    }
}

@Suite struct LocaleFormattingTests {
    let instant = Date(timeIntervalSince1970: 1_796_459_400)  // 2026-12-05T08:30:00Z

    @Test(arguments: [
        ("Asia/Jakarta", "15.30", "5 Des 2026, 15.30"), ("Asia/Makassar", "16.30", "5 Des 2026, 16.30"),
        ("Asia/Jayapura", "17.30", "5 Des 2026, 17.30"),
    ])
    func timesFollowTheOfficeTimeZone(zone: String, time: String, dateTime: String) {
        let formatter = LocaleFormatter(locale: "id", timeZone: zone)
        #expect(formatter.time(instant) == time)
        #expect(formatter.dateTime(instant) == dateTime)
    }

    @Test(arguments: [("Asia/Jakarta", "٣:٣٠ م"), ("Asia/Makassar", "٤:٣٠ م"), ("Asia/Jayapura", "٥:٣٠ م")])
    func arabicTimesFollowTheOfficeTimeZone(zone: String, time: String) {
        #expect(LocaleFormatter(locale: "ar", timeZone: zone).time(instant) == time)
    }

    @Test func arabicUsesArabicIndicDigitsUnlessLatinIsChosen() {
        #expect(LocaleFormatter(locale: "ar").number(1234) == "١٬٢٣٤")
        #expect(LocaleFormatter(locale: "ar", digits: .latin).number(1234) == "1,234")
        #expect(LocaleFormatter(locale: "id").number(1234.5) == "1.234,5")
    }

    @Test(
        "Latin digits reach numbers, dates, times and durations in Arabic",
        arguments: [DigitStyle.native, DigitStyle.latin])
    func digitStyleAppliesEverywhere(digits: DigitStyle) {
        let formatter = LocaleFormatter(locale: "ar", digits: digits)
        let texts = [
            formatter.number(2026), formatter.date(instant, style: .long), formatter.time(instant), formatter.duration(seconds: 300),
        ]
        for text in texts {
            let arabicIndic = text.unicodeScalars.contains { (0x0660...0x0669).contains($0.value) }
            let latin = text.unicodeScalars.contains { ("0"..."9").contains($0) }
            #expect(arabicIndic == (digits == .native) && latin == (digits == .latin), "\(text)")
        }
    }

    @Test(arguments: [
        ("en", 0, "0 minutes"), ("en", 59, "1 minute"), ("en", 300, "5 minutes"), ("en", 3900, "1 hour, 5 minutes"),
        ("en", 7260, "2 hours, 1 minute"), ("id", 3900, "1 jam, 5 menit"), ("zh", 3600, "1小时"), ("zh", 3900, "1小时5分钟"),
        ("ar", 60, "دقيقة"), ("ar", 120, "دقيقتان"), ("ar", 300, "٥ دقائق"), ("ar", 660, "١١ دقيقة"), ("ar", 3900, "ساعة و٥ دقائق"),
        ("ar", 7260, "ساعتان ودقيقة"),
    ])
    func durationsAreInWords(locale: String, seconds: Int, expected: String) {
        #expect(LocaleFormatter(locale: locale).duration(seconds: seconds) == expected)
    }

    @Test func arabicDurationsUseArabicPluralsAndDigits() {
        let two = LocaleFormatter(locale: "ar").duration(seconds: 120)
        let eleven = LocaleFormatter(locale: "ar").duration(seconds: 660)
        #expect(two != eleven && !two.isEmpty)
        #expect(eleven.contains("١١"))
        #expect(LocaleFormatter(locale: "ar", digits: .latin).duration(seconds: 300) == "5 دقائق")
    }

    @Test func datesAreInTheReadersLanguage() {
        #expect(LocaleFormatter(locale: "en").date(instant) == "Dec 5, 2026")
        #expect(LocaleFormatter(locale: "zh").date(instant, style: .long) == "2026年12月5日")
        #expect(LocaleFormatter(locale: "id").date(instant, style: .long) == "5 Desember 2026")
        #expect(LocaleFormatter(locale: "ar").date(instant, style: .long) == "٥ ديسمبر ٢٠٢٦")
        // ICU 72 (CLDR 42) puts a narrow no-break space before AM/PM in English.
        #expect(LocaleFormatter(locale: "en").time(instant) == "3:30\u{202F}PM")
    }

    @Test func anUnknownZoneGivesUTCInRFC3339NotAWrongLocalTime() {
        #expect(LocaleFormatter(locale: "id", timeZone: "Asia/Atlantis").time(instant) == "2026-12-05T08:30:00Z")
    }

    @Test func theCatalogCanWriteLatinDigitsInArabic() throws {
        let native = try TemplateCatalog(directory: shippedLocales)
        let latin = try TemplateCatalog(directory: shippedLocales, digits: .latin)
        let args: [String: TemplateArgument] = ["position": .number(12), "wait_minutes": .number(15)]
        #expect(native.render("queue.position", args, locale: "ar").contains("١١"))
        #expect(latin.render("queue.position", args, locale: "ar").contains("11"))
        #expect(native.digits == .native && latin.digits == .latin)
    }
}
