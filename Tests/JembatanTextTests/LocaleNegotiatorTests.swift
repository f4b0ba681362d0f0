import JembatanText
import Testing

@Suite("LocaleNegotiator")
struct LocaleNegotiatorTests {
    let negotiator = LocaleNegotiator(available: ["ar", "en", "id", "zh"], defaultLocale: "en")

    @Test(
        "wishes resolve through ICU canonicalisation, likely subtags and truncation",
        arguments: [
            (["zh-Hans-CN"], "zh"), (["zh-CN"], "zh"), (["zh-TW"], "zh"), (["zh_Hans"], "zh"),
            (["ar-EG"], "ar"), (["ar-u-nu-latn"], "ar"), (["und-Arab"], "ar"),
            (["in"], "id"), (["in-ID"], "id"), (["id-ID"], "id"),
            (["en-US"], "en"), (["EN-gb"], "en"),
            (["fr"], "en"), (["fr", "ar"], "ar"), (["", "*", "!!", "fr-CA"], "en"), ([], "en"),
        ])
    func negotiates(wishes: [String], expected: String) {
        #expect(negotiator.negotiate(wishes) == expected)
    }

    @Test("nothing matching gives the configured default, not the first available")
    func fallsBackToDefault() {
        let indonesianFirst = LocaleNegotiator(available: ["ar", "en", "id", "zh"], defaultLocale: "id")
        #expect(indonesianFirst.negotiate(["fr", "de-DE"]) == "id")
        #expect(indonesianFirst.defaultLocale == "id")
        #expect(indonesianFirst.available == ["ar", "en", "id", "zh"])
    }

    @Test("a shipped locale with a region or script is matched too")
    func matchesSpecificShippedLocales() {
        let regional = LocaleNegotiator(available: ["en", "zh-Hant", "zh"], defaultLocale: "en")
        #expect(regional.negotiate(["zh-TW"]) == "zh-Hant")
        #expect(regional.negotiate(["zh-CN"]) == "zh")
    }

    @Test(
        "Accept-Language: ranked by q-value, q=0 and junk ignored",
        arguments: [
            ("fr;q=0.9, ar-SA;q=0.8", "ar"),
            ("fr-CA, fr;q=0.9, id;q=0.5, en;q=0.3", "id"),
            ("en;q=0.1, ar;q=0.9", "ar"),
            ("en;q=0, zh", "zh"),
            ("zh;q=abc, ar", "ar"),
            ("  in ; q=1.0 ", "id"),
            ("*", "en"),
            ("", "en"),
        ])
    func negotiatesAcceptLanguage(header: String, expected: String) {
        #expect(negotiator.negotiate(acceptLanguage: header) == expected)
    }
}
