import JembatanText
import Testing

@Suite("TemplateCatalog check")
struct LocaleCheckTests {
    @Test("the shipped locales are complete, compile and cover their plural categories")
    func shippedLocalesAreClean() throws {
        let reports = try shippedCatalog().check()
        #expect(reports.map(\.locale) == ["ar", "en", "id", "zh"])
        for report in reports {
            #expect(report.isClean, "\(report.locale): \(report.problems)")
        }
        // Every locale has the same keys as the default one.
        #expect(Set(reports.map(\.keys)).count == 1)
        #expect(reports.first?.keys ?? 0 >= 40)
    }

    @Test("a broken locale reports each of its problems")
    func reportsEveryProblem() throws {
        try withLocaleFolder([
            "en": [
                "_locale": "en",
                "message.unavailable": "Unavailable.",
                "count": "{n, plural, one {# file} other {# files}}",
                "greet": "Hello {name}.",
                "plain": "Plain text.",
                "who": "Hi {name}.",
                "note": "Note.",
            ],
            "ar": [
                "_locale": "ar",
                "message.unavailable": "غير متاح.",
                "count": "{n, plural, zero {لا ملفات} one {ملف} two {ملفان} many {# ملفًا} other {# ملف}}",  // no few
                "greet": "مرحبا {name",  // does not compile
                "who": "أهلا {person}.",  // another argument name
                "note": "ملاحظة \u{202E}مهمة",  // a stray override
                "extra": "زائد",  // not in en; and "plain" is missing
            ],
        ]) { folder in
            let reports = try TemplateCatalog(directory: folder).check()
            let english = try #require(reports.first { $0.locale == "en" })
            let arabic = try #require(reports.first { $0.locale == "ar" })
            #expect(english.isClean, "\(english.problems)")
            #expect(arabic.keys == 6)
            let problems = arabic.problems
            func reported(_ fragments: String...) -> Bool {
                problems.contains { problem in fragments.allSatisfy { problem.contains($0) } }
            }
            #expect(reported("missing key", "plain"))
            #expect(reported("extra key", "extra"))
            #expect(reported("greet", "does not compile"))
            #expect(reported("who", "person", "name"))
            #expect(reported("count", "\"n\"", "few"))
            #expect(!reported("count", "many"))  // the categories it has are not reported
            #expect(reported("note", "U+202E"))
            #expect(problems.count == 6, "\(problems)")
        }
    }

    @Test("explicit values cover finite categories; dead branches and wrong metadata are reported")
    func judgesPluralCoverage() throws {
        try withLocaleFolder([
            "en": ["message.unavailable": "Unavailable.", "next": "{n, plural, =1 {You are next.} other {# ahead.}}"],
            "ar": ["message.unavailable": "غير متاح.", "next": "{n, plural, =0 {} =1 {} =2 {} few {} many {} other {}}"],
            "id": ["_locale": "in", "message.unavailable": "Tidak tersedia.", "next": "{n, plural, one {satu} other {#}}"],
            "zh": ["message.unavailable": "不可用。", "next": "{n, plural, =1 {下一位} other {#}}"],
        ]) { folder in
            let reports = try TemplateCatalog(directory: folder).check()
            let byLocale = Dictionary(uniqueKeysWithValues: reports.map { ($0.locale, $0) })
            #expect(byLocale["en"]?.isClean == true, "\(byLocale["en"]?.problems ?? [])")  // =1 is all of English "one"
            #expect(byLocale["ar"]?.isClean == true, "\(byLocale["ar"]?.problems ?? [])")  // =0 =1 =2: zero one two
            #expect(byLocale["zh"]?.isClean == true)
            let indonesian = byLocale["id"]?.problems ?? []
            #expect(indonesian.contains { $0.contains("not categories of id") && $0.contains("one") })
            #expect(indonesian.contains { $0.contains("_locale") })
            #expect(indonesian.count == 2)
        }
    }

    @Test("a default locale without the fallback text is reported")
    func reportsMissingFallback() throws {
        try withLocaleFolder(["en": ["a": "A."]]) { folder in
            let catalog = try TemplateCatalog(directory: folder)
            let report = try #require(catalog.check().first)
            #expect(report.problems == ["missing fallback key \"message.unavailable\""])
            // Rendering still never shows the key.
            #expect(catalog.render("b", locale: "en") == "This message is not available.")
        }
    }
}
