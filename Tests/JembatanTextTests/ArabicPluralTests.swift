import Foundation
import Testing

@testable import JembatanText

/// CLDR's Arabic plural rules as ICU applies them: six categories.
@Suite struct ArabicPluralTests {
    static let catalog: TemplateCatalog = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jembatan-plural-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let pattern = "{n, plural, zero {zero} one {one} two {two} few {few} many {many} other {other}}"
        for locale in ["en", "ar"] {
            let json = #"{"category": "\#(pattern)", "message.unavailable": "?"}"#
            try? json.write(to: folder.appendingPathComponent("\(locale).json"), atomically: true, encoding: .utf8)
        }
        return try! TemplateCatalog(directory: folder)
    }()

    @Test(arguments: [
        (0, "zero"), (1, "one"), (2, "two"), (3, "few"), (10, "few"), (11, "many"), (99, "many"), (100, "other"), (101, "other"),
        (103, "few"),
    ])
    func categoryOf(count: Int, category: String) {
        #expect(Self.catalog.render("category", ["n": .number(Double(count))], locale: "ar") == category)
    }

    @Test(
        "every shipped Arabic plural text has six different forms",
        arguments: [
            ("ui.unread", "count"), ("ui.supervisor.waiting", "count"), ("ui.supervisor.oldest_wait", "minutes"),
            ("ui.staff.active_sessions", "count"), ("time.duration.minutes", "minutes"), ("time.duration.hours", "hours"),
        ])
    func shippedArabicPluralsCoverAllSixCategories(key: String, argument: String) throws {
        let shipped = try shippedCatalog()
        let unavailable = shipped.render("message.unavailable", locale: "ar")
        let texts = [0, 1, 2, 3, 11, 100].map { shipped.render(key, [argument: .number(Double($0))], locale: "ar") }
        #expect(Set(texts).count == 6)
        #expect(!texts.contains(unavailable))
        // The same words for 3 and 10 (few), for 11 and 99 (many), for 100 and 101 (other):
        // only the digits differ.
        func words(_ n: Int) -> String {
            String(
                String.UnicodeScalarView(
                    shipped.render(key, [argument: .number(Double(n))], locale: "ar").unicodeScalars.filter {
                        $0.properties.numericType == nil
                    }))
        }
        #expect(words(3) == words(10) && words(11) == words(99) && words(100) == words(101))
    }
}
