import Foundation

/// A config file (`--config FILE`, `/etc/jembatan/jembatan.conf` under systemd), so an
/// operator changes a setting without editing the unit: `name = value` lines whose names are
/// the long options of `jembatan serve` without `--` (`port = 8443`; `trusted-proxy = …` once
/// per value of a repeatable option; `demo = true` for a flag). A line whose first non-blank
/// character is `#` is a comment, blank lines are skipped, and a value is everything after
/// the `=` up to the end of the line, trimmed (`#` there is part of it; one pair of double
/// quotes around it is taken off). ``arguments(for:allowed:commandLine:)`` turns the
/// settings into arguments placed before the command line's own, which win.
///
/// Errors name the file and line but never a value: the file may hold secrets (a PostgreSQL
/// URL's password), though they belong in the environment (`JEMBATAN_JWT_SECRET`).
public struct ConfigFile: Sendable, Equatable {
    /// One `name = value` line.
    public struct Setting: Sendable, Equatable {
        public var name: String
        public var value: String
        /// Counted from 1, for errors.
        public var line: Int

        public init(name: String, value: String, line: Int) {
            self.name = name
            self.value = value
            self.line = line
        }
    }

    /// Where it was read from, for errors.
    public let path: String
    /// The settings in the file's order.
    public let settings: [Setting]

    public init(path: String, text: String) throws(ConfigFileError) {
        self.path = path
        var settings: [Setting] = []
        var text = Substring(text)
        if text.first == "\u{FEFF}" { text = text.dropFirst() }  // a byte order mark some editors write
        // `isNewline` also ends a line at "\r\n" (one Character) and at a lone "\r".
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = index + 1
            let content = raw.trimmingCharacters(in: .whitespaces)
            if content.isEmpty || content.hasPrefix("#") { continue }
            func failure(_ problem: ConfigFileError.Problem) -> ConfigFileError {
                ConfigFileError(path: path, line: line, problem: problem)
            }
            guard let equals = content.firstIndex(of: "=") else { throw failure(.notAssignment) }
            let name = content[..<equals].trimmingCharacters(in: .whitespaces)
            var value = content[content.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("-") { throw failure(.dashedName) }
            guard Self.isName(name) else { throw failure(.badName) }
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            guard !value.isEmpty else { throw failure(.noValue(name)) }
            guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\t" }) else {
                throw failure(.controlCharacter(name))
            }
            settings.append(Setting(name: name, value: value, line: line))
        }
        self.settings = settings
    }

    /// Reads and parses the file at `path`.
    public static func load(path: String) throws(ConfigFileError) -> ConfigFile {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ConfigFileError(path: path, line: nil, problem: .unreadable(String(cString: strerror(errno))))
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        let data: Data
        do {
            data = try handle.readToEnd() ?? Data()
        } catch {
            throw ConfigFileError(path: path, line: nil, problem: .unreadable("cannot be read"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigFileError(path: path, line: nil, problem: .notText)
        }
        return try ConfigFile(path: path, text: text)
    }

    /// A long option's name: lower-case ASCII letters, digits and inner hyphens.
    static func isName(_ text: String) -> Bool {
        guard let first = text.utf8.first, first != UInt8(ascii: "-"), text.utf8.last != UInt8(ascii: "-") else { return false }
        return text.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (48...57).contains($0) || $0 == 45 }
    }

    /// The file `--config FILE` (or `--config=FILE`) names among a command's arguments, the
    /// last if it is given twice; nil without one. Arguments after `--` are not options.
    public static func path(in arguments: [String]) -> String? {
        var path: String?
        var index = arguments.startIndex
        while index < arguments.endIndex, arguments[index] != "--" {
            let argument = arguments[index]
            if argument == "--config", index + 1 < arguments.endIndex {
                path = arguments[index + 1]
                index += 1
            } else if argument.hasPrefix("--config=") {
                path = String(argument.dropFirst("--config=".count))
            }
            index += 1
        }
        return path
    }
}

/// A config file that cannot be used: the file and line, and what is wrong, never the value.
public struct ConfigFileError: Error, Equatable, CustomStringConvertible {
    public let path: String
    /// Counted from 1; nil when the whole file is the problem.
    public let line: Int?
    let problem: Problem

    enum Problem: Equatable {
        case unreadable(String)
        case notText
        case notAssignment
        case dashedName
        case badName
        case noValue(String)
        case controlCharacter(String)
        case unknownName(String)
        case nested
        case notBoolean(String)
    }

    public var description: String {
        let place = line.map { "\(path), line \($0)" } ?? path
        return "\(place): \(reason)"
    }

    private var reason: String {
        switch problem {
        case .unreadable(let why): "cannot read the config file (\(why))"
        case .notText: "not UTF-8 text"
        case .notAssignment: "expected name = value"
        case .dashedName: "write the option's name without the leading --"
        case .badName: "a name is a long option without --, such as port or trusted-proxy"
        case .noValue(let name): "\(name) has no value (leave the line out for the default)"
        case .controlCharacter(let name): "\(name): the value holds a control character"
        case .unknownName(let name): "\(name) is not an option of jembatan serve"
        case .nested: "config cannot be set in a config file"
        case .notBoolean(let name): "\(name) is a flag: its value is true or false"
        }
    }
}
