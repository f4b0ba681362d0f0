/// A blocking WebSocket client over libwebsockets, for integration tests, tools and load
/// generators. Many clients share one ``ClientLoop`` (one lws context and service thread).
///
/// Sends are queued and written by the loop one frame per writeable callback; received
/// messages are reassembled from their fragments and wait in an inbox until ``receive(timeout:)``.
///
/// ```swift
/// let client = try WebSocketClient.connect(port: 8080)
/// client.send(text: "hello")
/// let reply = try client.receive()
/// client.close()
/// ```
public final class WebSocketClient: @unchecked Sendable {
    // Safe: both stored properties are immutable references to thread-safe objects.
    private let connection: Connection
    private let loop: ClientLoop

    init(connection: Connection, loop: ClientLoop) {
        self.connection = connection
        self.loop = loop
    }

    deinit {
        // Do not leak the socket when a test drops a client without closing it.
        if !connection.isClosed { close(code: 1001) }
    }

    /// Opens `ws://host:port/path` and waits for the handshake.
    /// - Parameters:
    ///   - subprotocol: sent as Sec-WebSocket-Protocol; nil sends none.
    ///   - headers: extra handshake headers (e.g. `["Accept-Language": "ar"]`).
    ///   - transport: TLS (`wss://`) and the local address to connect from.
    /// - Throws: ``ClientError/connectFailed`` (refused, rejected handshake) or
    ///   ``ClientError/timeout`` (the attempt is then abandoned).
    public static func connect(
        host: String = "127.0.0.1", port: Int, path: String = "/ws",
        subprotocol: String? = "jembatan.v1", headers: [String: String] = [:], transport: Transport = Transport(),
        loop: ClientLoop = .shared, timeout: Duration = .seconds(5)
    ) throws -> WebSocketClient {
        let connection = Connection(
            id: loop.makeConnectionID(),
            request: handshake(host: host, port: port, path: path, subprotocol: subprotocol, headers: headers, transport: transport))
        let limit = deadline(after: timeout)
        guard loop.post(.connect(connection)) else {
            throw ClientError.connectFailed("client loop is not running")
        }
        if let error = connection.waitUntilOpen(deadline: limit) {
            if error == .timeout { loop.post(.abort(connection)) }
            throw error
        }
        return WebSocketClient(connection: connection, loop: loop)
    }

    /// Queues a text message. With `fragmentSize`, the message goes out as several frames of
    /// at most that many bytes (to exercise a server's reassembly). Dropped after ``close(code:)``
    /// or once the connection ended.
    public func send(text: String, fragmentSize: Int? = nil) {
        enqueue(Array(text.utf8), binary: false, fragmentSize: fragmentSize)
    }

    /// Queues a binary message, optionally as frames of at most `fragmentSize` bytes.
    public func send(binary: [UInt8], fragmentSize: Int? = nil) {
        enqueue(binary, binary: true, fragmentSize: fragmentSize)
    }

    /// Queues a text frame carrying arbitrary bytes, valid UTF-8 or not (for testing a server's
    /// validation).
    public func send(rawTextBytes: [UInt8], fragmentSize: Int? = nil) {
        enqueue(rawTextBytes, binary: false, fragmentSize: fragmentSize)
    }

    /// Waits for the next event. After the `.closed` event has been returned, throws
    /// ``ClientError/closed`` at once.
    /// - Throws: ``ClientError/timeout`` when nothing arrived in time (the connection stays open).
    public func receive(timeout: Duration = .seconds(5)) throws -> WebSocketEvent {
        try connection.receive(deadline: deadline(after: timeout))
    }

    /// Queues a close frame with `code` after any frames already queued. The server's
    /// acknowledgement then ends the connection and ``receive(timeout:)`` returns
    /// `.closed(code: nil)`.
    public func close(code: UInt16 = 1000) {
        if connection.enqueue([.close(code)]) { loop.post(.flush(connection)) }
    }

    /// True once the connection has ended (closed by either side, or dropped).
    public var isClosed: Bool { connection.isClosed }

    private func enqueue(_ bytes: [UInt8], binary: Bool, fragmentSize: Int?) {
        var frames: [Connection.Outgoing] = []
        if let size = fragmentSize, size > 0, bytes.count > size {
            var start = 0
            while start < bytes.count {
                let end = min(start + size, bytes.count)
                frames.append(
                    .frame(Array(bytes[start..<end]), binary: binary, first: start == 0, final: end == bytes.count))
                start = end
            }
        } else {
            frames.append(.frame(bytes, binary: binary, first: true, final: true))
        }
        if connection.enqueue(frames) { loop.post(.flush(connection)) }
    }
}
