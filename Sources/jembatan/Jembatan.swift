import ArgumentParser
import Foundation

@main
struct Jembatan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jembatan",
        abstract: "A multilingual chat and counselling message broker for immigration offices.",
        subcommands: [Serve.self, Token.self, Locales.self, Demo.self, Backup.self],
        defaultSubcommand: Serve.self)

    /// swift-argument-parser's `main`, on the arguments with `--config FILE` put in.
    static func main() {
        do {
            main(try ConfigArguments.expand(Array(CommandLine.arguments.dropFirst())))
        } catch {
            exit(withError: error)
        }
    }
}

/// Options shared by the commands that use the data folder and the signing secret.
struct DataOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "A file of name = value lines, one per option (its long name without --), read before the command line, which wins.",
            discussion:
                "Secrets come from the environment instead (JEMBATAN_JWT_SECRET; under systemd, EnvironmentFile= or LoadCredential=jwt-secret:FILE).",
            valueName: "file"))
    var config: String?

    @Option(help: "Folder for the SQLite database and the generated token secret.")
    var data = "./data"

    @Option(
        help:
            "HS256 token secret (default: $JEMBATAN_JWT_SECRET, else systemd's credential jwt-secret, else one kept in the data folder)."
    )
    var jwtSecret: String?

    var resolvedSecret: String? {
        let environment = ProcessInfo.processInfo.environment
        return jwtSecret ?? environment["JEMBATAN_JWT_SECRET"] ?? environment["CREDENTIALS_DIRECTORY"].flatMap(Self.credential(in:))
    }

    /// systemd's `LoadCredential=jwt-secret:FILE`: a copy only the service can read, in the
    /// folder `$CREDENTIALS_DIRECTORY` names. A trailing newline is not part of the secret.
    private static func credential(in folder: String) -> String? {
        guard let data = FileManager.default.contents(atPath: folder + "/jwt-secret") else { return nil }
        let secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        return secret.isEmpty ? nil : secret
    }
}
