import Foundation
import Testing

@testable import JembatanServer

/// `--config FILE`: the file's lines, its errors (file and line, never a value), and the
/// arguments it stands for, with the command line winning.
@Suite struct ConfigFileTests {
    /// Serve's options as the file sees them (a few of each kind).
    static let serve = CommandOptions(
        kinds: [
            "host": .value, "port": .value, "data": .value, "jwt-secret": .value, "config": .value, "trusted-proxy": .values,
            "demo": .flag, "log-format": .value, "tls": .invertibleFlag,
        ], shortNames: ["p": "port"])

    @Test func readsSettingsCommentsAndBlankLines() throws {
        let text = """
            \u{FEFF}# The office's broker
              host = 0.0.0.0\r
            port=8443

            \t# indented comment
            trusted-proxy = 127.0.0.1/32
            trusted-proxy = 10.0.0.0/8
            postgres = postgres://u:p#w@db/j
            office = "  Kantor Imigrasi  "
            demo = true
            """
        let file = try ConfigFile(path: "/etc/jembatan/jembatan.conf", text: text)
        #expect(
            file.settings == [
                .init(name: "host", value: "0.0.0.0", line: 2), .init(name: "port", value: "8443", line: 3),
                .init(name: "trusted-proxy", value: "127.0.0.1/32", line: 6), .init(name: "trusted-proxy", value: "10.0.0.0/8", line: 7),
                .init(name: "postgres", value: "postgres://u:p#w@db/j", line: 8),
                .init(name: "office", value: "  Kantor Imigrasi  ", line: 9), .init(name: "demo", value: "true", line: 10),
            ])
    }

    @Test(arguments: [
        ("port 8443", 1, "expected name = value"),
        ("\n# fine\n--port = 8443", 3, "without the leading --"),
        ("Port = 8443", 1, "a name is a long option"),
        ("jwt_secret = hunter2", 1, "a name is a long option"),
        (" = hunter2", 1, "a name is a long option"),
        ("port =", 1, "port has no value"),
        ("port = \"\"", 1, "port has no value"),
        ("office = a\u{7}b", 1, "office: the value holds a control character"),
    ])
    func badLinesNameFileAndLine(text: String, line: Int, reason: String) {
        #expect {
            try ConfigFile(path: "/etc/jembatan/jembatan.conf", text: text)
        } throws: { error in
            let error = error as? ConfigFileError
            let description = error?.description ?? ""
            return error?.line == line && description.hasPrefix("/etc/jembatan/jembatan.conf, line \(line): ")
                && description.contains(reason) && !description.contains("hunter2") && !description.contains("8443")
        }
    }

    @Test func aLineWithoutEqualsIsNotEchoed() {
        let error = #expect(throws: ConfigFileError.self) { try ConfigFile(path: "j.conf", text: "port = 1\nhunter2-secret\n") }
        #expect(error?.description == "j.conf, line 2: expected name = value")
    }

    @Test func loadsFilesAndSaysWhyNot() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jembatan-conf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("good.conf")
        try Data("port = 9000\n".utf8).write(to: good)
        #expect(try ConfigFile.load(path: good.path).settings == [.init(name: "port", value: "9000", line: 1)])

        let missing = folder.appendingPathComponent("missing.conf").path
        let notFound = #expect(throws: ConfigFileError.self) { try ConfigFile.load(path: missing) }
        #expect(notFound?.description == "\(missing): cannot read the config file (No such file or directory)")

        let binary = folder.appendingPathComponent("binary.conf")
        try Data([0x70, 0x6f, 0x72, 0x74, 0x3d, 0xff, 0xfe]).write(to: binary)
        let notText = #expect(throws: ConfigFileError.self) { try ConfigFile.load(path: binary.path) }
        #expect(notText?.description == "\(binary.path): not UTF-8 text")

        let directory = #expect(throws: ConfigFileError.self) { try ConfigFile.load(path: folder.path) }
        #expect(directory?.line == nil && directory?.description.hasPrefix("\(folder.path): cannot read") == true)
    }

    @Test func findsTheConfigArgument() {
        #expect(ConfigFile.path(in: ["--port", "0"]) == nil)
        #expect(ConfigFile.path(in: ["--config", "/etc/j.conf", "--port", "0"]) == "/etc/j.conf")
        #expect(ConfigFile.path(in: ["--config=/a.conf", "--config", "/b.conf"]) == "/b.conf")
        #expect(ConfigFile.path(in: ["--", "--config", "/a.conf"]) == nil)
        #expect(ConfigFile.path(in: ["--config"]) == nil)
    }

    @Test func settingsBecomeArgumentsTheCommandLineOverrides() throws {
        let file = try ConfigFile(
            path: "j.conf",
            text: """
                host = 0.0.0.0
                port = 8443
                port = 9443
                data = /var/lib/jembatan
                trusted-proxy = 127.0.0.1/32
                trusted-proxy = 10.0.0.0/8
                demo = true
                tls = false
                log-format = json
                """)
        #expect(
            try file.arguments(for: Self.serve, allowed: Self.serve, commandLine: [])
                == [
                    "--host=0.0.0.0", "--port=9443", "--data=/var/lib/jembatan", "--trusted-proxy=127.0.0.1/32",
                    "--trusted-proxy=10.0.0.0/8", "--demo", "--no-tls", "--log-format=json",
                ])
        // Whatever the command line gives is left out of the file's arguments, in any spelling.
        #expect(
            try file.arguments(
                for: Self.serve, allowed: Self.serve,
                commandLine: ["-p", "0", "--data=/tmp/d", "--trusted-proxy", "::1/128", "--demo", "--tls", "--", "--host"])
                == ["--host=0.0.0.0", "--log-format=json"])
    }

    @Test func flagsTakeTrueOrFalse() throws {
        let file = try ConfigFile(path: "j.conf", text: "demo = yes\ndemo = off\n")
        #expect(try file.arguments(for: Self.serve, allowed: Self.serve, commandLine: []) == [])
        let bad = try ConfigFile(path: "j.conf", text: "port = 1\ndemo = hunter2\n")
        let error = #expect(throws: ConfigFileError.self) { try bad.arguments(for: Self.serve, allowed: Self.serve, commandLine: []) }
        #expect(error?.description == "j.conf, line 2: demo is a flag: its value is true or false")
    }

    @Test func unknownAndNestedNamesAreErrors() throws {
        let unknown = try ConfigFile(path: "j.conf", text: "port = 1\n\nprot = 8443\n")
        let error = #expect(throws: ConfigFileError.self) { try unknown.arguments(for: Self.serve, allowed: Self.serve, commandLine: []) }
        #expect(error?.description == "j.conf, line 3: prot is not an option of jembatan serve")
        let help = try ConfigFile(path: "j.conf", text: "help = true")
        #expect(throws: ConfigFileError.self) { try help.arguments(for: Self.serve, allowed: Self.serve, commandLine: []) }
        let nested = try ConfigFile(path: "j.conf", text: "config = /etc/other.conf")
        let nestedError = #expect(throws: ConfigFileError.self) {
            try nested.arguments(for: Self.serve, allowed: Self.serve, commandLine: [])
        }
        #expect(nestedError?.line == 1)
    }

    /// `jembatan token --config` reads serve's file and takes only what token has.
    @Test func anotherCommandTakesWhatItHas() throws {
        let token = CommandOptions(kinds: ["data": .value, "jwt-secret": .value, "config": .value, "role": .value])
        let file = try ConfigFile(path: "j.conf", text: "port = 8443\ndata = /var/lib/jembatan\nlog-format = json\n")
        #expect(try file.arguments(for: token, allowed: Self.serve, commandLine: ["--role", "officer"]) == ["--data=/var/lib/jembatan"])
        // Token's own options are not settings of the file.
        let role = try ConfigFile(path: "j.conf", text: "role = officer")
        #expect(throws: ConfigFileError.self) { try role.arguments(for: token, allowed: Self.serve, commandLine: []) }
    }

    /// The real `jembatan serve`'s options, read from swift-argument-parser's description of
    /// it, the way `--config` reads them.
    @Test func readsTheExecutablesOptions() throws {
        let process = Process()
        process.executableURL = ProcessTests.executable
        process.arguments = ["serve", "--experimental-dump-help"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let json = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let options = try CommandOptions(argumentParserDump: json)
        #expect(options.kinds["port"] == .value)
        #expect(options.kinds["config"] == .value)
        #expect(options.kinds["log-format"] == .value)
        #expect(options.kinds["trusted-proxy"] == .values)
        #expect(options.kinds["demo"] == .flag)
        #expect(options.kinds["synchronous-full"] == .flag)
        #expect(options.kinds["help"] == nil && options.kinds["version"] == nil)
    }

    /// The executable with a bad config file: the file and line in the error, not the line's
    /// text, and exit status 1 before anything starts.
    @Test func executableRejectsABadFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("jembatan-bad-\(UUID().uuidString).conf")
        try Data("port = 0\n# comment\nsecret-password-here\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = ProcessTests.executable
        process.arguments = ["serve", "--config", file.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(text.contains("\(file.path), line 3: expected name = value"))
        #expect(!text.contains("secret-password-here"))
    }
}
