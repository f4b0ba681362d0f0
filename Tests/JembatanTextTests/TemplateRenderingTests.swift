import Foundation
import JembatanText
import Testing

@Suite("TemplateCatalog rendering")
struct TemplateRenderingTests {
    static let positions = [0, 1, 2, 3, 11, 100]

    func queueText(_ catalog: TemplateCatalog, position: Int, wait: Int = 5, locale: String) -> String {
        catalog.render("queue.position", ["position": .number(Double(position)), "wait_minutes": .number(Double(wait))], locale: locale)
    }

    @Test("loads the shipped locales")
    func loadsShippedLocales() throws {
        let catalog = try shippedCatalog()
        #expect(catalog.locales == ["ar", "en", "id", "zh"])
        #expect(catalog.defaultLocale == "en")
        #expect(catalog.hasKey("queue.position"))
        #expect(!catalog.hasKey("_name"))  // metadata is not a template
    }

    @Test("queue.position renders every position in every locale", arguments: ["en", "id", "ar", "zh"])
    func rendersQueuePositions(locale: String) throws {
        let catalog = try shippedCatalog()
        let unavailable = catalog.render("message.unavailable", locale: locale)
        let texts = Self.positions.map { queueText(catalog, position: $0, locale: locale) }
        for text in texts {
            #expect(!text.isEmpty && text != unavailable && text != "queue.position")
            #expect(!text.contains("{") && !text.contains("}") && !text.contains("#"))
        }
        // 0 (your turn), 1 (next) and the counted positions all read differently.
        #expect(Set(texts).count == texts.count)
    }

    @Test("English: next in line, people ahead, waiting time")
    func rendersEnglishExactly() throws {
        let catalog = try shippedCatalog()
        #expect(queueText(catalog, position: 1, wait: 0, locale: "en") == "You are next in line.")
        #expect(
            queueText(catalog, position: 2, wait: 1, locale: "en")
                == "There is 1 person ahead of you. Estimated waiting time: about 1 minute.")
        #expect(
            queueText(catalog, position: 11, wait: 5, locale: "en")
                == "There are 10 people ahead of you. Estimated waiting time: about 5 minutes.")
    }

    @Test("Arabic: different plural categories give different words, not just digits")
    func rendersArabicPluralCategories() throws {
        let catalog = try shippedCatalog()
        func words(_ position: Int) -> String {
            let text = queueText(catalog, position: position, wait: 0, locale: "ar")
            return String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.properties.numericType == nil }))
        }
        let two = words(2), three = words(3), eleven = words(11), hundred = words(100)
        #expect(two != three && two != eleven && two != hundred)
        #expect(three != eleven && three != hundred && eleven != hundred)
        // ICU's default numbering for "ar" is Arabic-Indic: 11 in line means ١٠ people ahead.
        #expect(queueText(catalog, position: 11, locale: "ar").contains("١٠"))
        #expect(queueText(catalog, position: 1, wait: 2, locale: "ar").contains("دقيقتان"))
    }

    @Test("Indonesian and Mandarin count with one form; no waiting sentence for 0 minutes")
    func rendersSingleCategoryLocales() throws {
        let catalog = try shippedCatalog()
        #expect(
            queueText(catalog, position: 4, wait: 7, locale: "id")
                == "Masih ada 3 orang di depan Anda dalam antrean. Perkiraan waktu tunggu sekitar 7 menit.")
        #expect(queueText(catalog, position: 4, wait: 0, locale: "zh") == "您前面还有3人在等候。")
    }

    @Test("string arguments are inserted, numbers follow the locale")
    func rendersArguments() throws {
        let catalog = try shippedCatalog()
        let args: [String: TemplateArgument] = ["name": "Siti", "role": .string(catalog.render("role.officer", locale: "id"))]
        #expect(catalog.render("session.joined", args, locale: "id") == "Siti (Petugas) telah bergabung dalam sesi.")
        #expect(catalog.render("error.text_too_long", ["limit": 4000], locale: "en").contains("4,000 characters"))
        #expect(catalog.render("error.text_too_long", ["limit": 1], locale: "en").contains("1 character."))
    }

    @Test("a key missing in a locale falls back to the default locale's pattern")
    func fallsBackToDefaultLocale() throws {
        try withLocaleFolder([
            "en": ["message.unavailable": "Unavailable.", "only.english": "{count, plural, one {# file} other {# files}}"],
            "ar": ["message.unavailable": "غير متاح."],
        ]) { folder in
            let catalog = try TemplateCatalog(directory: folder)
            // Formatted in English, so no Arabic-Indic digits either.
            #expect(catalog.render("only.english", ["count": 12], locale: "ar") == "12 files")
        }
    }

    @Test("unknown keys, missing or mistyped arguments never show template internals")
    func neverShowsRawKeys() throws {
        let catalog = try shippedCatalog()
        for locale in ["en", "id", "ar", "zh", "fr"] {
            let unavailable = catalog.render("message.unavailable", locale: locale)
            #expect(catalog.render("no.such.key", locale: locale) == unavailable)
            #expect(catalog.render("session.left", locale: locale) == unavailable)  // {name} not given
            #expect(catalog.render("queue.position", ["position": "three", "wait_minutes": 1], locale: locale) == unavailable)
        }
        #expect(catalog.render("no.such.key", locale: "ar") == "يتعذّر عرض هذه الرسالة حاليًا.")
        #expect(!catalog.render("no.such.key", locale: "en").contains("no.such.key"))
    }

    @Test("a pattern that fails in a locale falls back to the default; an unknown locale to its language or the default")
    func fallsBackOnBrokenPatternAndLocale() throws {
        try withLocaleFolder([
            "en": ["message.unavailable": "Unavailable.", "greet": "Hello {name}."],
            "id": ["message.unavailable": "Tidak tersedia.", "greet": "Halo {name"],
        ]) { folder in
            let catalog = try TemplateCatalog(directory: folder)
            #expect(catalog.render("greet", ["name": "Budi"], locale: "id") == "Hello Budi.")
            #expect(catalog.render("message.unavailable", locale: "id-ID") == "Tidak tersedia.")
            #expect(catalog.render("message.unavailable", locale: "fr") == "Unavailable.")
        }
    }

    @Test("rendering from many threads at once gives the same texts")
    func rendersConcurrently() async throws {
        let catalog = try shippedCatalog()
        let expected = Self.positions.map { queueText(catalog, position: $0, locale: "ar") }
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    (0..<50).allSatisfy { _ in Self.positions.map { queueText(catalog, position: $0, locale: "ar") } == expected }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
    }

    @Test("loading refuses a folder without the default locale and a file that is not strings")
    func refusesBadFolders() throws {
        try withLocaleFolder(["id": ["a": "b"]]) { folder in
            #expect(throws: TemplateCatalogError.missingDefaultLocale("en")) { try TemplateCatalog(directory: folder) }
            let indonesian = try TemplateCatalog(directory: folder, defaultLocale: "id")
            #expect(indonesian.locales == ["id"])
        }
        try withLocaleFolder([:]) { folder in
            try Data(#"{"a": 3}"#.utf8).write(to: folder.appendingPathComponent("en.json"))
            #expect(throws: TemplateCatalogError.self) { try TemplateCatalog(directory: folder) }
        }
    }

    @Test("TemplateArgument is plain JSON: strings and numbers")
    func codesArgumentsAsPlainJSON() throws {
        let decoded = try JSONDecoder().decode([String: TemplateArgument].self, from: Data(#"{"name":"Layla","position":3}"#.utf8))
        #expect(decoded == ["name": .string("Layla"), "position": .number(3)])
        let encoded = try JSONEncoder().encode(["position": TemplateArgument.number(3)])
        #expect(String(decoding: encoded, as: UTF8.self) == #"{"position":3}"#)
    }
}
