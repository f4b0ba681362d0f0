import Foundation
import JembatanBus
import JembatanClient
import JembatanServer
import Testing

/// The package root, found from this file (tests run from the build folder).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A real broker on a free loopback port with its own SQLite file in a temporary folder.
final class TestServer {
    let server: BrokerServer
    let data: URL

    init(data: URL? = nil, bus: (any ClusterBus)? = nil, configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        self.data = data ?? FileManager.default.temporaryDirectory.appendingPathComponent("jembatan-test-\(UUID().uuidString)")
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.dataDirectory = self.data.path
        configuration.jwtSecret = "test-secret-\(UUID().uuidString)"
        configuration.localesDirectory = packageRoot.appendingPathComponent("Locales").path
        configure(&configuration)
        server = try BrokerServer.start(configuration, bus: bus)
    }

    var port: Int { server.port }

    func token(
        _ sub: String, role: String, name: String, langs: [String], locale: String? = nil, capacity: Int? = nil, expiresIn: Int = 3600
    ) -> String {
        let now = Int(Date().timeIntervalSince1970)
        return server.tokens.sign(
            TokenClaims(sub: sub, role: role, name: name, langs: langs, locale: locale, capacity: capacity, exp: now + expiresIn))
    }

    func connect() throws -> WebSocketClient {
        try WebSocketClient.connect(port: port)
    }

    /// Connects and completes `hello`; returns the client and its `welcome`.
    func login(_ token: String, locale: String? = nil, resume: [[String: Any]] = []) throws -> (WebSocketClient, [String: Any]) {
        let client = try connect()
        var hello: [String: Any] = ["type": "hello", "id": "hello", "token": token]
        if let locale { hello["locale"] = locale }
        if !resume.isEmpty { hello["resume"] = resume }
        client.send(json: hello)
        let welcome = try client.next("welcome")
        return (client, welcome)
    }

    func stop() {
        server.stop()
        server.wait()
    }

    deinit { try? FileManager.default.removeItem(at: data) }
}

extension WebSocketClient {
    /// The next frame of `type`, skipping others (typing, queue updates…) on the way.
    func next(_ type: String, timeout: Duration = .seconds(5)) throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let frame = try receiveJSON(timeout: deadline - ContinuousClock.now)
            if frame["type"] as? String == type { return frame }
        }
        throw TestFailure("no \(type) frame in time")
    }

    /// Frames until the connection closes; returns the close code.
    func closeCode(timeout: Duration = .seconds(5)) throws -> UInt16? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if case .closed(let code) = try receive(timeout: deadline - ContinuousClock.now) { return code }
        }
        throw TestFailure("not closed in time")
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
