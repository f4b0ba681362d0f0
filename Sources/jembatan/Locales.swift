import ArgumentParser
import Foundation
import JembatanServer
import JembatanText

struct Locales: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "locales", abstract: "Work with the localised templates.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every locale: keys, ICU patterns, argument names, plural categories, bidi controls.")

        @Option(help: "Folder of <locale>.json files (default: ./Locales).")
        var locales: String?

        func run() throws {
            guard let path = LocalesLocator.find(configured: locales) else {
                throw ValidationError("no Locales folder found")
            }
            let catalog = try TemplateCatalog(directory: URL(fileURLWithPath: path))
            let reports = catalog.check()
            for report in reports {
                print(LocaleCheckTable(report: report, reference: catalog.defaultLocale).rendered)
            }
            let failed = reports.filter { !$0.isClean }.map(\.locale)
            print(failed.isEmpty ? "all \(reports.count) locales pass" : "defects in: \(failed.joined(separator: ", "))")
            if !failed.isEmpty { throw ExitCode.failure }
        }
    }
}

/// One locale's check as a small table: one row per kind of check, then the problems.
struct LocaleCheckTable {
    let report: LocaleReport
    let reference: String

    /// Which row a problem line belongs to (the check's wording decides).
    static let rows: [(title: String, matches: @Sendable (String) -> Bool)] = [
        (
            "same keys as reference",
            { $0.contains(" key ") || $0.hasPrefix("missing") || $0.hasPrefix("extra") || $0.hasPrefix("_locale") }
        ),
        ("patterns compile in ICU", { $0.contains("does not compile") }),
        ("argument names", { $0.contains("arguments [") }),
        ("plural categories (CLDR)", { $0.contains("plural \"") }),
        ("no stray bidi controls", { $0.contains("bidi") }),
    ]

    var rendered: String {
        var lines = ["\(report.locale): \(report.keys) keys (reference: \(reference))", "  check                      result"]
        for row in Self.rows {
            let count = report.problems.filter(row.matches).count
            let title = row.title
            lines.append("  \(title.padding(toLength: 26, withPad: " ", startingAt: 0)) \(count == 0 ? "ok" : "\(count) defect(s)")")
        }
        lines += report.problems.map { "    - \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }
}
