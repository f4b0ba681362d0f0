import Foundation
import Testing

@testable import JembatanServer

/// `sd_notify` without libsystemd: what the environment asks for, datagrams to path and
/// abstract sockets, the watchdog's schedule, and a real broker's READY, WATCHDOG and STOPPING.
@Suite struct SystemdNotifierTests {
    @Test func readsSystemdsEnvironment() {
        #expect(SystemdNotifier(environment: [:]) == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "vsock:2:1234"]) == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "/" + String(repeating: "x", count: 200)]) == nil)
        let plain = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/run/systemd/notify"])
        #expect(plain == SystemdNotifier(socketPath: "/run/systemd/notify"))
        #expect(plain?.watchdogIntervalMilliseconds == nil)
        let watched = SystemdNotifier(
            environment: ["NOTIFY_SOCKET": "@/org/freedesktop/systemd1/notify", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "42"],
            processID: 42)
        #expect(watched?.socketPath == "@/org/freedesktop/systemd1/notify")
        #expect(watched?.watchdogIntervalMilliseconds == 15_000)
        // The watchdog is another process's (a child inherited the environment).
        let other = SystemdNotifier(
            environment: ["NOTIFY_SOCKET": "/run/n", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "7"], processID: 42)
        #expect(other != nil && other?.watchdogIntervalMilliseconds == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "/run/n", "WATCHDOG_USEC": "0"])?.watchdogIntervalMilliseconds == nil)
    }

    @Test func sendsToAPathSocket() throws {
        let listener = try DatagramListener()
        #expect(SystemdNotifier(socketPath: listener.path).notify("READY=1\nSTATUS=up"))
        #expect(try listener.next() == "READY=1\nSTATUS=up")
    }

    @Test func sendsToAnAbstractSocket() throws {
        let listener = try DatagramListener(abstract: true)
        #expect(listener.path.hasPrefix("@"))
        #expect(SystemdNotifier(socketPath: listener.path).notify("STOPPING=1"))
        #expect(try listener.next() == "STOPPING=1")
    }

    @Test func failsQuietlyWithoutAListener() {
        #expect(!SystemdNotifier(socketPath: "/nonexistent-\(UUID().uuidString)").notify("READY=1"))
    }

    @Test func watchdogPingsEveryHalfInterval() throws {
        let listener = try DatagramListener()
        // WATCHDOG_USEC of 3 s: a ping due every 1.5 s, checked on one-second ticks.
        var watchdog = try #require(SystemdWatchdog(SystemdNotifier(socketPath: listener.path, watchdogMicroseconds: 3_000_000)))
        var pingedAt: [UInt64] = []
        for now in stride(from: UInt64(0), through: 6_000, by: 1_000) {
            watchdog.tick(now: now)
            if let message = try listener.next(timeout: 0.05) {
                #expect(message == "WATCHDOG=1")
                pingedAt.append(now)
            }
        }
        #expect(pingedAt == [0, 2_000, 4_000, 6_000])
        #expect(SystemdWatchdog(SystemdNotifier(socketPath: listener.path)) == nil)
    }

    /// The real broker: READY=1 once it listens, WATCHDOG=1 from its service thread's tick,
    /// STOPPING=1 when it shuts down.
    @Test func brokerReportsReadinessWatchdogAndStopping() throws {
        let listener = try DatagramListener()
        let server = try TestServer { configuration in
            configuration.systemd = SystemdNotifier(socketPath: listener.path, watchdogMicroseconds: 2_000_000)
        }
        var messages: [String] = []
        let deadline = Date().addingTimeInterval(10)
        while messages.filter({ $0 == "WATCHDOG=1" }).count < 3, Date() < deadline {
            if let message = try listener.next(timeout: 1) { messages.append(message) }
        }
        #expect(messages.first == "READY=1\nSTATUS=listening on port \(server.port)")
        #expect(messages.filter { $0 == "WATCHDOG=1" }.count >= 3)
        server.stop()
        var last: String?
        while let message = try listener.next(timeout: 2) { last = message }
        #expect(last == "STOPPING=1")
    }
}

/// A unix datagram socket standing in for systemd's notification socket.
final class DatagramListener {
    let fd: Int32
    /// As `NOTIFY_SOCKET` names it: a path, or `@name` in the abstract namespace.
    let path: String
    private let file: String?

    init(abstract: Bool = false) throws {
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        let name = "jembatan-notify-\(UUID().uuidString.prefix(8))"
        file = abstract ? nil : FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        path = file ?? "@" + name
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw TestFailure("cannot bind \(path)") }
    }

    deinit {
        close(fd)
        if let file { unlink(file) }
    }

    /// The next datagram, or nil when none comes within `timeout` seconds.
    func next(timeout: Double = 5) throws -> String? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count >= 0 else { throw TestFailure("recv failed") }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }
}
