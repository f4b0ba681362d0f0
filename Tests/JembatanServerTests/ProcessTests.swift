import Foundation
import JembatanClient
import Testing

/// The `jembatan` executable as an operator runs it: what it binds, how it stops.
@Suite(.serialized) struct ProcessTests {
    /// The built executable, beside the test bundle in the build folder.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent(
            "jembatan")
    }

    /// Starts `jembatan serve` on a free port and returns it with the port it printed.
    func start(_ arguments: [String], data: URL) throws -> (Process, Int, Pipe) {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments =
            ["serve", "--port", "0", "--data", data.path, "--locales", packageRoot.appendingPathComponent("Locales").path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var collected = ""
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            collected += String(decoding: chunk, as: UTF8.self)
            if let line = collected.split(separator: "\n").first(where: { $0.hasPrefix("jembatan listening on ") }),
                let port = line.split(separator: ":").last.flatMap({ Int($0) })
            {
                return (process, port, output)
            }
        }
        process.terminate()
        throw TestFailure("the server did not report its port")
    }

    /// A running broker's port and how to stop it (SIGTERM, then wait).
    func serve(_ arguments: [String], data: URL) throws -> (port: Int, stop: () -> Void) {
        let (process, port, _) = try start(arguments, data: data)
        return (
            port,
            {
                process.terminate()
                process.waitUntilExit()
            }
        )
    }

    func listeners(port: Int) throws -> [String] {
        let ss = Process()
        ss.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        ss.arguments = ["ss", "-Hltn", "sport = :\(port)"]
        let pipe = Pipe()
        ss.standardOutput = pipe
        try ss.run()
        ss.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return text.split(separator: "\n").compactMap {
            $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).first.map(String.init)
        }
    }

    func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("jembatan-proc-\(UUID().uuidString)")
    }

    @Test(arguments: [("127.0.0.1", "127.0.0.1"), ("::1", "[::1]")])
    func bindsExactlyTheHostItIsGiven(host: String, expected: String) throws {
        let data = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let (port, stop) = try serve(["--host", host], data: data)
        defer { stop() }
        #expect(try listeners(port: port) == ["\(expected):\(port)"])
    }

    @Test func sigtermTellsClients1001FlushesAndExitsZero() throws {
        let data = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let (process, port, _) = try start([], data: data)
        let client = try WebSocketClient.connect(port: port)
        #expect(try HTTPClient.get(port: port, path: "/healthz").status == 200)
        kill(process.processIdentifier, SIGTERM)
        #expect(try client.closeCode(timeout: .seconds(10)) == 1001)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        // The embedded default made its database and secret in the data folder.
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("jembatan.sqlite").path))
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("jwt-secret").path))
    }

    @Test func sigintAlsoStopsCleanly() throws {
        let data = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let (process, _, _) = try start([], data: data)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func tokensFromTheCommandLineAreAcceptedByTheServer() throws {
        let data = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let (port, stop) = try serve([], data: data)
        defer { stop() }
        let token = Process()
        token.executableURL = Self.executable
        token.arguments = [
            "token", "--role", "counsellor", "--sub", "c-1", "--name", "Siti", "--langs", "id,en,ar", "--capacity", "3", "--ttl", "1h",
            "--data", data.path,
        ]
        let pipe = Pipe()
        token.standardOutput = pipe
        try token.run()
        token.waitUntilExit()
        #expect(token.terminationStatus == 0)
        let jwt = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(
            in: .whitespacesAndNewlines)
        let client = try WebSocketClient.connect(port: port)
        client.send(json: ["type": "hello", "token": jwt])
        let welcome = try client.next("welcome")
        #expect((welcome["participant"] as? [String: Any])?["role"] as? String == "counsellor")
    }

    @Test func localesCheckPassesTheShippedLocalesAndFailsABrokenOne() throws {
        func check(_ folder: URL) throws -> (Int32, String) {
            let process = Process()
            process.executableURL = Self.executable
            process.arguments = ["locales", "check", "--locales", folder.path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, output)
        }
        let (shipped, table) = try check(packageRoot.appendingPathComponent("Locales"))
        #expect(shipped == 0)
        #expect(table.contains("ar: ") && table.contains("plural categories (CLDR)   ok"))

        let broken = temporaryFolder()
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: broken) }
        for locale in ["en", "ar"] {
            try FileManager.default.copyItem(
                at: packageRoot.appendingPathComponent("Locales/\(locale).json"), to: broken.appendingPathComponent("\(locale).json"))
        }
        var arabic = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: broken.appendingPathComponent("ar.json"))) as? [String: Any])
        arabic["queue.cancelled"] = nil
        try JSONSerialization.data(withJSONObject: arabic).write(to: broken.appendingPathComponent("ar.json"))
        let (status, report) = try check(broken)
        #expect(status != 0)
        #expect(report.contains("missing key \"queue.cancelled\""))
    }

    @Test func theExampleHoursFileStartsAndABrokenOneIsRefusedWithItsField() throws {
        let data = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let example = packageRoot.appendingPathComponent("Scripts/hours.example.json").path
        let (_, stop) = try serve(["--hours", example, "--route", "complaint=officer,counsellor"], data: data)
        stop()

        let broken = temporaryFolder().appendingPathExtension("json")
        try Data(#"{"time_zone": "Asia/Jakarta", "default": {"mon": ["8-12"]}}"#.utf8).write(to: broken)
        defer { try? FileManager.default.removeItem(at: broken) }
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["serve", "--port", "0", "--data", data.path, "--hours", broken.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(message.contains("default.mon[0]"))
    }

    @Test func tokenRefusesANameThatPassesForSomeoneElse() throws {
        let data = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        func mint(_ name: String) throws -> Int32 {
            let token = Process()
            token.executableURL = Self.executable
            token.arguments = ["token", "--role", "officer", "--sub", "o-9", "--name", name, "--langs", "id", "--data", data.path]
            token.standardOutput = FileHandle.nullDevice
            token.standardError = FileHandle.nullDevice
            try token.run()
            token.waitUntilExit()
            return token.terminationStatus
        }
        #expect(try mint("Siti") == 0)
        #expect(try mint("S\u{0456}ti") != 0)  // a Cyrillic і in a Latin name
    }

    @Test func backupWritesACopyWhileTheBrokerRuns() throws {
        let data = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let (port, stop) = try serve([], data: data)
        defer { stop() }
        #expect(try HTTPClient.get(port: port, path: "/healthz").status == 200)
        let copy = data.appendingPathComponent("copy.sqlite")
        let backup = Process()
        backup.executableURL = Self.executable
        backup.arguments = ["backup", copy.path, "--data", data.path]
        backup.standardOutput = FileHandle.nullDevice
        try backup.run()
        backup.waitUntilExit()
        #expect(backup.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: copy.path))
    }
}
