import Foundation

/// The long options a command takes, as a config file needs to know them: whether each takes
/// a value, may be repeated, or is a flag.
public struct CommandOptions: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `--name value`; given twice, the later wins.
        case value
        /// `--name value` as often as wanted: a list.
        case values
        /// `--name` alone.
        case flag
        /// `--name`, or `--no-name` to turn it off.
        case invertibleFlag
    }

    /// By long name, without `--`.
    public var kinds: [String: Kind]
    /// Short names (`-p`) to the long name each stands for.
    public var shortNames: [Character: String]

    public init(kinds: [String: Kind], shortNames: [Character: String] = [:]) {
        self.kinds = kinds
        self.shortNames = shortNames
    }

    /// The names swift-argument-parser gives every command: never settings.
    static let builtIn: Set<String> = ["help", "version", "experimental-dump-help", "generate-completion-script"]

    /// Read from swift-argument-parser's description of a command: the JSON that
    /// `--experimental-dump-help` prints (`ParsableCommand._dumpHelp()`), so the file accepts
    /// exactly the flags the command has, whoever adds one.
    public init(argumentParserDump json: String) throws {
        guard let root = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let command = root["command"] as? [String: Any]
        else { throw CommandOptionsError() }
        var kinds: [String: Kind] = [:]
        var shortNames: [Character: String] = [:]
        for argument in command["arguments"] as? [[String: Any]] ?? [] {
            let names = (argument["names"] as? [[String: Any]] ?? []).compactMap { name -> (kind: String, name: String)? in
                guard let kind = name["kind"] as? String, let text = name["name"] as? String else { return nil }
                return (kind, text)
            }
            let long = names.filter { $0.kind == "long" }.map(\.name).filter { !Self.builtIn.contains($0) }
            // An inverted flag is one argument named both `x` and `no-x`.
            guard let primary = long.first(where: { long.contains("no-" + $0) }) ?? long.first else { continue }
            let kind: Kind
            switch argument["kind"] as? String {
            case "option": kind = argument["isRepeating"] as? Bool == true ? .values : .value
            case "flag": kind = long.contains("no-" + primary) ? .invertibleFlag : .flag
            default: continue
            }
            kinds[primary] = kind
            for short in names where short.kind == "short" {
                if let character = short.name.first { shortNames[character] = primary }
            }
        }
        self.init(kinds: kinds, shortNames: shortNames)
    }

    /// The settings a command line gives itself (by long name), so the file's are left out:
    /// `--name`, `--name=value`, `--no-name` for an invertible flag, and short names.
    public func names(givenIn arguments: [String]) -> Set<String> {
        var given: Set<String> = []
        for argument in arguments {
            if argument == "--" { break }
            if argument.hasPrefix("--") {
                let name = String(argument.dropFirst(2).prefix { $0 != "=" })
                if name.hasPrefix("no-"), kinds[String(name.dropFirst(3))] == .invertibleFlag {
                    given.insert(String(name.dropFirst(3)))
                } else {
                    given.insert(name)
                }
            } else if argument.hasPrefix("-") {
                for character in argument.dropFirst() { if let long = shortNames[character] { given.insert(long) } }
            }
        }
        return given
    }
}

/// swift-argument-parser's description of a command was not what ``CommandOptions`` reads.
public struct CommandOptionsError: Error, CustomStringConvertible {
    public var description: String { "the command's options could not be read for its config file" }
}

extension ConfigFile {
    /// The arguments the file's settings stand for, to be placed before the command line's.
    ///
    /// - Parameters:
    ///   - options: what the command being run takes. Settings it lacks are left out, so
    ///     `jembatan token --config` takes `data` from serve's file and leaves `port`.
    ///   - allowed: what the file may hold, serve's options: any other name is an error.
    ///   - commandLine: the command's own arguments. A setting they give is left out, so the
    ///     command line wins, and a repeatable option given there replaces the file's list.
    /// A single-valued setting given twice in the file counts once, the later line.
    public func arguments(
        for options: CommandOptions, allowed: CommandOptions, commandLine: [String]
    ) throws(ConfigFileError) -> [String] {
        let given = options.names(givenIn: commandLine)
        var chosen: [(name: String, arguments: [String])] = []
        for setting in settings {
            func failure(_ problem: ConfigFileError.Problem) -> ConfigFileError {
                ConfigFileError(path: path, line: setting.line, problem: problem)
            }
            let name = setting.name
            if name == "config" { throw failure(.nested) }
            guard let allowedKind = allowed.kinds[name], !CommandOptions.builtIn.contains(name) else {
                throw failure(.unknownName(name))
            }
            let kind = options.kinds[name] ?? allowedKind
            let arguments: [String]
            switch kind {
            case .value, .values:
                // One argument, so a value that starts with "-" is not taken for an option.
                arguments = ["--\(name)=\(setting.value)"]
            case .flag, .invertibleFlag:
                guard let on = Self.boolean(setting.value) else { throw failure(.notBoolean(name)) }
                arguments = on ? ["--\(name)"] : kind == .invertibleFlag ? ["--no-\(name)"] : []
            }
            if kind != .values { chosen.removeAll { $0.name == name } }
            chosen.append((name, arguments))
        }
        return chosen.filter { options.kinds[$0.name] != nil && !given.contains($0.name) }.flatMap(\.arguments)
    }

    private static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on": true
        case "false", "no", "off": false
        default: nil
        }
    }
}
