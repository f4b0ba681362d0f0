import Foundation
import Testing

@testable import JembatanClient

/// One echo server for the suite; each test opens its own connections.
private let server: EchoServer = {
    do { return try EchoServer() } catch { fatalError("echo server did not start: \(error)") }
}()

@Suite struct WebSocketClientTests {
    @Test(arguments: ["hello", "مرحبا بك في المكتب", "欢迎来到移民局", "Selamat datang 👋🏽"])
    func textRoundTrip(text: String) throws {
        let client = try WebSocketClient.connect(port: server.port)
        client.send(text: text)
        #expect(try client.receive() == .text(text))
        client.close()
    }

    @Test func binaryRoundTrip() throws {
        let client = try WebSocketClient.connect(port: server.port)
        let bytes: [UInt8] = [0, 1, 2, 0xFF, 0xFE, 0x80, 0]
        client.send(binary: bytes)
        #expect(try client.receive() == .binary(bytes))
        client.close()
    }

    @Test func largeMessagesAreFragmentedAndReassembled() throws {
        let client = try WebSocketClient.connect(port: server.port)
        // 100 KiB of Arabic and Chinese text: multi-byte characters straddle fragment edges.
        var text = ""
        while text.utf8.count < 100 * 1024 { text += "مرحبا 你好 \(text.utf8.count) " }
        // Sent as 7 KiB frames; the server echoes it as 16 KiB frames.
        client.send(text: text, fragmentSize: 7 * 1024)
        #expect(try client.receive() == .text(text))
        let bytes = (0..<(100 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        client.send(binary: bytes)
        #expect(try client.receive() == .binary(bytes))
        client.close()
    }

    @Test func messagesKeepTheirOrder() throws {
        let client = try WebSocketClient.connect(port: server.port)
        for index in 0..<200 { client.send(text: "message \(index)") }
        for index in 0..<200 { #expect(try client.receive() == .text("message \(index)")) }
        client.close()
    }

    @Test func serverCloseCodeIsReported() throws {
        let client = try WebSocketClient.connect(port: server.port)
        client.send(text: "close:4408")
        #expect(try client.receive() == .closed(code: 4408))
        #expect(client.isClosed)
        #expect(throws: ClientError.closed) { try client.receive(timeout: .milliseconds(100)) }
        client.send(text: "dropped")  // must not crash after close
    }

    @Test func clientCloseEndsTheConnection() throws {
        let client = try WebSocketClient.connect(port: server.port)
        client.send(text: "before close")
        #expect(try client.receive() == .text("before close"))
        client.close(code: 1000)
        // lws drops data frames that arrive after its own close frame went out, so a reply
        // still in flight at close() would be lost; here there is none.
        #expect(try client.receive() == .closed(code: nil))
        #expect(client.isClosed)
        client.close()  // a second close is harmless
    }

    @Test func receiveTimesOutWithoutClosing() throws {
        let client = try WebSocketClient.connect(port: server.port)
        let started = ContinuousClock.now
        #expect(throws: ClientError.timeout) { try client.receive(timeout: .milliseconds(200)) }
        #expect(ContinuousClock.now - started >= .milliseconds(190))
        #expect(!client.isClosed)
        client.send(text: "still open")
        #expect(try client.receive() == .text("still open"))
        client.close()
    }

    @Test func connectToClosedPortFails() throws {
        let port = try unusedPort()
        let started = ContinuousClock.now
        #expect(throws: ClientError.connectFailed) {
            try WebSocketClient.connect(port: port, timeout: .seconds(5))
        }
        #expect(ContinuousClock.now - started < .seconds(4))  // refused, not timed out
    }

    @Test func connectTimesOutWhenTheHandshakeIsNeverAnswered() throws {
        // A listening socket that never accepts: the kernel completes TCP, nobody answers
        // the upgrade request.
        let (fd, port) = try silentListener()
        defer { close(fd) }
        let started = ContinuousClock.now
        #expect(throws: ClientError.timeout) {
            try WebSocketClient.connect(port: port, timeout: .milliseconds(300))
        }
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func connectWithoutSubprotocolOrWithHeaders() throws {
        let plain = try WebSocketClient.connect(port: server.port, subprotocol: nil)
        plain.send(text: "no subprotocol")
        #expect(try plain.receive() == .text("no subprotocol"))
        plain.close()
        let localized = try WebSocketClient.connect(port: server.port, headers: ["Accept-Language": "ar"])
        localized.send(text: "headers")
        #expect(try localized.receive() == .text("headers"))
        localized.close()
    }

    @Test func jsonRoundTrip() throws {
        let client = try WebSocketClient.connect(port: server.port)
        client.send(json: ["type": "say", "text": "مرحبا", "seq": 3])
        let reply = try client.receiveJSON()
        #expect(reply["type"] as? String == "say")
        #expect(reply["text"] as? String == "مرحبا")
        #expect(reply["seq"] as? Int == 3)
        client.send(text: "[1, 2]")
        #expect(throws: ClientError.unexpectedMessage) { try client.receiveJSON() }
        client.close()
    }

    @Test func invalidUTF8IsSentAsIs() throws {
        // The server validates UTF-8 and must drop the connection (1007), proving the
        // bytes went out unrepaired.
        let client = try WebSocketClient.connect(port: server.port)
        client.send(rawTextBytes: [0x68, 0xC3, 0x28])
        guard case .closed(let code) = try client.receive() else {
            Issue.record("expected the server to close")
            return
        }
        #expect(code == 1007)
    }

    @Test func manyConnectionsShareOneLoop() throws {
        let loop = ClientLoop()
        defer { loop.shutdown() }
        #expect(loop.usesLibuv)
        let clients = try (0..<50).map { _ in try WebSocketClient.connect(port: server.port, loop: loop) }
        for (index, client) in clients.enumerated() { client.send(text: "n\(index)") }
        for (index, client) in clients.enumerated() { #expect(try client.receive() == .text("n\(index)")) }
    }

    @Test(arguments: [true, false])
    func shutdownClosesOpenConnections(libuv: Bool) throws {
        let loop = ClientLoop(preferLibuv: libuv)
        #expect(loop.usesLibuv == libuv)
        let client = try WebSocketClient.connect(port: server.port, loop: loop)
        let other = try WebSocketClient.connect(port: server.port, loop: loop)
        other.send(text: "pending")
        loop.shutdown()
        #expect(client.isClosed)
        #expect(try client.receive() == .closed(code: nil))
        #expect(other.isClosed)
        loop.shutdown()  // a second shutdown returns at once
        #expect(throws: ClientError.connectFailed) { try WebSocketClient.connect(port: server.port, loop: loop) }
    }

    @Test func pollLoopWorksToo() throws {
        let loop = ClientLoop(preferLibuv: false)
        defer { loop.shutdown() }
        #expect(!loop.usesLibuv)
        let client = try WebSocketClient.connect(port: server.port, loop: loop)
        client.send(text: "über poll")
        #expect(try client.receive() == .text("über poll"))
    }

    @Test func httpGetAgainstLws() throws {
        let response = try HTTPClient.get(port: server.port, path: "/healthz")
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "text/plain")
        #expect(response.text == "echo /healthz")
    }
}

/// A port nothing listens on: bind to port 0, note the port, close.
func unusedPort() throws -> Int {
    let (fd, port) = try boundSocket(listening: false)
    close(fd)
    return port
}

/// A socket listening on 127.0.0.1 that nobody accepts on, and its port.
func silentListener() throws -> (Int32, Int) {
    try boundSocket(listening: true)
}

private func boundSocket(listening: Bool) throws -> (Int32, Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, length) == 0 && (!listening || listen(fd, 8) == 0)
                && getsockname(fd, $0, &length) == 0
        }
    }
    guard ok else {
        close(fd)
        throw ClientError.connectFailed("no free port")
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}
