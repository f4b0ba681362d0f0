import Foundation
import Testing

@testable import JembatanText

/// `.date` arguments in templates: shown in the catalog's time zone, with its digits, and
/// carried through JSON without turning into text.
@Suite("Template date and time arguments")
struct DateArgumentTests {
    /// 2026-12-05T08:30:00Z: 15:30 WIB, 16:30 WITA, 17:30 WIT.
    static let instant = Date(timeIntervalSince1970: 1_796_459_400)

    static let patterns = [
        "message.unavailable": "?",
        "sent": "{when, time, short}",
        "nested": "{n, plural, one {# message at {when, time, short}} other {# messages, the last at {when, time, short}}}",
        "bare": "{when}",
        // A date pattern keeps the spaces after its comma (as ICU's MessageFormat does): none here.
        "custom": "{when,date,dd/MM} {when, time, ::Hm}",
    ]

    @Test(
        "times follow the catalog's time zone, nested ones too",
        arguments: [("Asia/Jakarta", "15.30"), ("Asia/Makassar", "16.30"), ("Asia/Jayapura", "17.30")])
    func catalogTimesFollowTheZone(zone: String, time: String) throws {
        try withLocaleFolder(["en": Self.patterns, "id": Self.patterns]) { folder in
            let catalog = try TemplateCatalog(directory: folder, timeZone: zone)
            #expect(catalog.timeZone == zone)
            #expect(catalog.render("sent", ["when": .date(Self.instant)], locale: "id") == time)
            #expect(catalog.render("nested", ["n": 2, "when": .date(Self.instant)], locale: "id") == "2 messages, the last at \(time)")
            #expect(catalog.render("custom", ["when": .date(Self.instant)], locale: "id") == "05/12 \(time)")
            // A bare {when} gets MessageFormat's short date and time, in the zone as well.
            #expect(catalog.render("bare", ["when": .date(Self.instant)], locale: "id") == "05/12/26, \(time)")
        }
    }

    @Test(
        "the shipped UI strings with dates, per locale",
        arguments: [
            ("en", "Session started on December 5, 2026 at 3:30\u{202F}PM"),  // CLDR 42: narrow no-break space before PM
            ("id", "Sesi dimulai pada 5 Desember 2026 pukul 15.30"),
            ("ar", "بدأت الجلسة في ٥ ديسمبر ٢٠٢٦ الساعة ٣:٣٠ م"),
            ("zh", "会话开始于2026年12月5日 15:30"),
        ])
    func shippedDateStrings(locale: String, expected: String) throws {
        let catalog = try shippedCatalog()
        #expect(catalog.render("ui.session.started_at", ["when": .date(Self.instant)], locale: locale) == expected)
    }

    @Test("Latin digits reach the dates of Arabic templates too")
    func latinDigitsInArabicDates() throws {
        let native = try shippedCatalog()
        let latin = try TemplateCatalog(directory: shippedLocales, digits: .latin)
        let args: [String: TemplateArgument] = ["when": .date(Self.instant)]
        #expect(native.render("ui.message.sent_at", args, locale: "ar") == "أُرسلت الساعة ٣:٣٠ م")
        #expect(latin.render("ui.message.sent_at", args, locale: "ar") == "أُرسلت الساعة 3:30 م")
        #expect(latin.render("ui.session.started_at", args, locale: "ar").contains("2026"))
    }

    @Test("a number for a date is milliseconds, as in ICU; text for a date is refused, never shown raw")
    func dateArgumentKinds() throws {
        try withLocaleFolder(["en": Self.patterns]) { folder in
            let catalog = try TemplateCatalog(directory: folder)
            #expect(catalog.render("sent", ["when": .number(1_796_459_400_000)], locale: "en") == "3:30\u{202F}PM")
            #expect(catalog.render("sent", ["when": "2026-12-05T08:30:00Z"], locale: "en") == "?")
            #expect(catalog.render("sent", [:], locale: "en") == "?")
        }
    }

    @Test("an unknown time zone is refused when the catalog loads, not shown as GMT later")
    func refusesUnknownZones() throws {
        #expect(throws: TemplateCatalogError.unknownTimeZone("Asia/Atlantis")) {
            try TemplateCatalog(directory: shippedLocales, timeZone: "Asia/Atlantis")
        }
        #expect(throws: TemplateCatalogError.unknownTimeZone("asia/jakarta")) {
            try TemplateCatalog(directory: shippedLocales, timeZone: "asia/jakarta")
        }
    }

    @Test(
        "time zones ICU knows",
        arguments: [
            ("Asia/Jakarta", true), ("Asia/Makassar", true), ("Asia/Jayapura", true), ("Asia/Ujung_Pandang", true),
            ("UTC", true), ("GMT+07:00", true), ("WIB", false), ("asia/jakarta", false), ("", false), ("Asia/Jakarta\u{0}x", false),
        ])
    func knownTimeZones(zone: String, known: Bool) {
        #expect(LocaleFormatter.isKnownTimeZone(zone) == known)
    }

    @Test("JSON: an instant is {\"date\": RFC 3339} and comes back as a date, not as text")
    func datesRoundTripThroughJSON() throws {
        let arguments: [String: TemplateArgument] = [
            "when": .date(Self.instant), "precise": .date(Self.instant.addingTimeInterval(0.25)), "name": "Siti", "n": 3,
        ]
        let data = try JSONEncoder().encode(arguments)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(object?["when"] as? [String: String] == ["date": "2026-12-05T08:30:00Z"])
        #expect(object?["precise"] as? [String: String] == ["date": "2026-12-05T08:30:00.250Z"])
        #expect(try JSONDecoder().decode([String: TemplateArgument].self, from: data) == arguments)

        let offset = Data(#"{"when": {"date": "2026-12-05T15:30:00+07:00"}}"#.utf8)
        #expect(try JSONDecoder().decode([String: TemplateArgument].self, from: offset) == ["when": .date(Self.instant)])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([String: TemplateArgument].self, from: Data(#"{"when": {"date": "5 Dec"}}"#.utf8))
        }
    }
}
