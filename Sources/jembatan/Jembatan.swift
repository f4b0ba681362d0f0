import ArgumentParser
import Foundation

@main
struct Jembatan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jembatan",
        abstract: "A multilingual chat and counselling message broker for immigration offices.",
        subcommands: [Serve.self, Token.self, Locales.self, Demo.self, Backup.self],
        defaultSubcommand: Serve.self)
}

/// Options shared by the commands that use the data folder and the signing secret.
struct DataOptions: ParsableArguments {
    @Option(help: "Folder for the SQLite database and the generated token secret.")
    var data = "./data"

    @Option(help: "HS256 token secret (default: $JEMBATAN_JWT_SECRET, else one kept in the data folder).")
    var jwtSecret: String?

    var resolvedSecret: String? {
        jwtSecret ?? ProcessInfo.processInfo.environment["JEMBATAN_JWT_SECRET"]
    }
}
