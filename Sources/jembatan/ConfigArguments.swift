import ArgumentParser
import JembatanServer

/// `--config FILE`: the file's settings (ConfigFile) become arguments placed before the
/// command line's own, which win. Done before swift-argument-parser sees the arguments, so
/// every option, its parsing and its `validate()` are the command line's, whichever way it
/// was set.
enum ConfigArguments {
    /// The program's arguments (without its name) with the config file's settings put in,
    /// or as they are when there is no `--config` or the command takes none (the parser
    /// then says so).
    static func expand(_ arguments: [String]) throws -> [String] {
        let root = Jembatan.configuration
        let named = arguments.first.flatMap { first in root.subcommands.first { $0._commandName == first } }
        let command = named ?? root.defaultSubcommand ?? Serve.self
        let own = Array(arguments.dropFirst(named == nil ? 0 : 1))
        guard let path = ConfigFile.path(in: own) else { return arguments }
        let options = try CommandOptions(argumentParserDump: command._dumpHelp())
        guard options.kinds["config"] != nil else { return arguments }
        // The file is serve's: other commands take from it the settings they also have.
        let allowed = command == Serve.self ? options : try CommandOptions(argumentParserDump: Serve._dumpHelp())
        let file = try ConfigFile.load(path: path)
        return [command._commandName] + (try file.arguments(for: options, allowed: allowed, commandLine: own)) + own
    }
}
