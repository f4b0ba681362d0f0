import Foundation
import JembatanText

/// Where the shipped locale files are: this file is Tests/JembatanTextTests/TestSupport.swift.
let shippedLocales = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Locales")

/// The catalog the server ships, loaded once per use (loading is cheap).
func shippedCatalog() throws -> TemplateCatalog { try TemplateCatalog(directory: shippedLocales) }

/// A fresh folder of `<locale>.json` files written from `files` (locale → key → value),
/// removed when `body` returns.
func withLocaleFolder<R>(_ files: [String: [String: String]], _ body: (URL) throws -> R) throws -> R {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jembatan-locales-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for (locale, entries) in files {
        let data = try JSONSerialization.data(withJSONObject: entries, options: [.sortedKeys])
        try data.write(to: folder.appendingPathComponent("\(locale).json"))
    }
    return try body(folder)
}

extension String {
    /// The Unicode scalars as hex, for asserting on exact code points: Swift's `==` compares
    /// canonical equivalence, so "e\u{301}" == "é" even when nothing was normalised.
    var scalarCodes: [String] { unicodeScalars.map { String($0.value, radix: 16, uppercase: true) } }
}
