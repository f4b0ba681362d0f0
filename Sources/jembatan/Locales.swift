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
            print("locale  keys  problems")
            for report in reports {
                let locale = report.locale.padding(toLength: 6, withPad: " ", startingAt: 0)
                print("\(locale)  \(String(report.keys).padding(toLength: 4, withPad: " ", startingAt: 0))  \(report.problems.count)")
                for problem in report.problems { print("        - \(problem)") }
            }
            if reports.contains(where: { !$0.isClean }) { throw ExitCode.failure }
        }
    }
}
