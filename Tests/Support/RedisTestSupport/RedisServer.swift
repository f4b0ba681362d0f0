import Foundation

/// Shared by the bus and server tests.
///
/// A real redis-server on a free loopback port, started by the test as a child process, with
/// no persistence; `kill()` is `kill -9`, `restart()` starts it again on the same port.
public final class RedisServer {
    public let port: Int
    private var process: Process?

    public init() throws {
        port = try Self.freePort()
        try launch()
    }

    deinit { kill() }

    /// Kills the server (SIGKILL, as a crash would) and waits until it is gone.
    public func kill() {
        guard let process else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// Freezes the server (SIGSTOP): its sockets stay open and the kernel still accepts
    /// connections into its backlog, but nothing answers — a hung peer, not a dead one.
    public func freeze() {
        if let process { Foundation.kill(process.processIdentifier, SIGSTOP) }
    }

    public func thaw() {
        if let process { Foundation.kill(process.processIdentifier, SIGCONT) }
    }

    public func restart() throws {
        kill()
        try launch()
    }

    /// Runs redis-cli against this server and returns its output, trimmed.
    public func cli(_ arguments: String...) throws -> String {
        let cli = Process()
        cli.executableURL = try Self.executable("redis-cli")
        cli.arguments = ["-h", "127.0.0.1", "-p", "\(port)"] + arguments
        let output = Pipe()
        cli.standardOutput = output
        cli.standardError = FileHandle.nullDevice
        try cli.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        cli.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Subscribers Redis counts for `channel` (`PUBSUB NUMSUB`).
    public func subscriberCount(_ channel: String) throws -> Int? {
        let lines = try cli("PUBSUB", "NUMSUB", channel).split(separator: "\n")
        return lines.count == 2 ? Int(lines[1]) : nil
    }

    private func launch() throws {
        let server = Process()
        server.executableURL = try Self.executable("redis-server")
        server.arguments = [
            "--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
        ]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        process = server
        let ready = waitUntil { (try? self.cli("PING")) == "PONG" }
        if !ready { throw FixtureError("redis-server did not answer on port \(port)") }
    }

    private static func executable(_ name: String) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        for folder in folders where FileManager.default.isExecutableFile(atPath: folder + "/" + name) {
            return URL(fileURLWithPath: folder + "/" + name)
        }
        throw FixtureError("\(name) not found (Scripts/setup installs redis-server)")
    }

    /// A port the kernel just handed out for 127.0.0.1, released again for redis-server.
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FixtureError("socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw FixtureError("bind failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes (generous: the machine is
/// shared and slow); returns whether it held.
public func waitUntil(timeout: Duration = .seconds(10), _ condition: () -> Bool) -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return condition()
}
