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

    @Test func theShippedArabicLocaleCoversAllSixCategories() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Locales")
        let shipped = try TemplateCatalog(directory: folder)
        let texts = [0, 1, 2, 3, 11, 100].map { shipped.render("ui.unread", ["count": .number(Double($0))], locale: "ar") }
        #expect(Set(texts).count == 6)
    }
}
