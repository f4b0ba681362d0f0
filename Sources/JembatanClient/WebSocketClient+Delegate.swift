extension WebSocketClient {
    /// Starts opening `ws://host:port/path` and returns at once; `delegate` then gets the
    /// connection's events on `loop`'s service thread (see ``WebSocketDelegate``) — nothing
    /// arrives through ``receive(timeout:)``. Keep the returned client: once it is released,
    /// the connection is closed with 1001 and the delegate hears nothing more.
    ///
    /// Safe to call from any thread, the service thread included (from a delegate method or
    /// ``ClientLoop/execute(_:)``). When the loop is shut down, the delegate gets
    /// ``WebSocketDelegate/webSocket(_:didEndWithCode:failure:)`` with a failure right away.
    public static func open(
        host: String = "127.0.0.1", port: Int, path: String = "/ws",
        subprotocol: String? = "jembatan.v1", headers: [String: String] = [:], transport: Transport = Transport(),
        loop: ClientLoop, delegate: any WebSocketDelegate
    ) -> WebSocketClient {
        let connection = Connection(
            id: loop.makeConnectionID(),
            request: handshake(host: host, port: port, path: path, subprotocol: subprotocol, headers: headers, transport: transport))
        let client = WebSocketClient(connection: connection, loop: loop)
        // Set before the connect is posted: the mailbox's lock orders these writes before any
        // callback the service thread makes for this connection.
        connection.delegate = delegate
        connection.owner = client
        if !loop.post(.connect(connection)) {
            connection.didEnd(failure: "client loop is not running")
        }
        return client
    }

    /// The handshake to send; headers in a stable order.
    static func handshake(
        host: String, port: Int, path: String, subprotocol: String?, headers: [String: String], transport: Transport = Transport()
    ) -> Connection.Request {
        // A CR or LF in a header would smuggle extra lines into the handshake.
        precondition(
            !headers.contains { $0.key.contains(where: \.isNewline) || $0.value.contains(where: \.isNewline) },
            "handshake header contains a line break")
        return Connection.Request(
            host: host, port: port, path: path, subprotocol: subprotocol,
            headers: headers.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }, transport: transport)
    }
}
