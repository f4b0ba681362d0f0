import CWebSockets

/// The one lws callback of every client context. lws calls it on the service thread; it finds
/// its ``ClientLoop`` through `lws_context_user()` and the connection through the per-session
/// user pointer, which holds the connection id (an id, not an object pointer: lws may call
/// back for a wsi after we forgot it, and a stale id just misses in the table).
func clientCallback(
    _ wsi: OpaquePointer?, _ reason: lws_callback_reasons, _ user: UnsafeMutableRawPointer?,
    _ input: UnsafeMutableRawPointer?, _ length: Int
) -> Int32 {
    guard let wsi, let context = lws_get_context(wsi), let loopPointer = lws_context_user(context)
    else { return 0 }
    let loop = Unmanaged<ClientLoop>.fromOpaque(loopPointer).takeUnretainedValue()
    loop.callbackDepth += 1
    defer {
        loop.callbackDepth -= 1
        if loop.callbackDepth == 0 { loop.flushWrites() }
    }
    if reason == LWS_CALLBACK_EVENT_WAIT_CANCELLED {
        loop.runCommands()
        return 0
    }
    guard let user, let connection = loop.connections[Int(bitPattern: user)] else { return 0 }
    return loop.handle(reason, on: wsi, for: connection, input: input, length: length)
}

/// Messages larger than this are refused with close code 1009 instead of growing without bound.
private let maximumMessageSize = 64 << 20

extension ClientLoop {
    /// Service thread: carries out what callers posted.
    func runCommands() {
        for command in takeCommands() {
            switch command {
            case .connect(let connection):
                start(connection)
            case .flush(let connection):
                requestWrite(connection)
            case .abort(let connection):
                if let wsi = connection.wsi { cws_kill_async(wsi) }
            case .shutdown:
                beginShutdown()
            case .run(let work):
                work()
            }
        }
    }

    private func start(_ connection: Connection) {
        guard let client = clientPointer else { return }
        let request = connection.request
        let user = UnsafeMutableRawPointer(bitPattern: connection.id)!
        connections[connection.id] = connection
        // lws copies these strings during the call, so temporaries are fine.
        let wsi = request.host.withCString { host in
            request.path.withCString { path in
                withOptionalCString(request.subprotocol) { subprotocol in
                    withOptionalCString(request.transport.sourceAddress) { source in
                        cws_client_connect(client, host, Int32(request.port), path, subprotocol, user, request.transport.tls.mode, source)
                    }
                }
            }
        }
        guard let wsi else {
            // Failed at once; lws will not call back with CLIENT_CONNECTION_ERROR.
            connections[connection.id] = nil
            connection.didEnd(failure: "could not start connection")
            return
        }
        connection.wsi = wsi
    }

    func handle(
        _ reason: lws_callback_reasons, on wsi: OpaquePointer, for connection: Connection,
        input: UnsafeMutableRawPointer?, length: Int
    ) -> Int32 {
        switch reason {
        case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
            guard let input else { return 0 }
            for header in connection.request.headers {
                if cws_client_append_header(wsi, input, length, header.name + ":", header.value) != 0 {
                    return -1
                }
            }
        case LWS_CALLBACK_CLIENT_ESTABLISHED:
            connection.wsi = wsi
            if connection.didOpen() { lws_callback_on_writable(wsi) }
        case LWS_CALLBACK_CLIENT_RECEIVE:
            return receive(on: wsi, for: connection, input: input, length: length)
        case LWS_CALLBACK_CLIENT_WRITEABLE:
            return write(on: wsi, for: connection)
        case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
            // The server's close frame: `input` is its payload, code first (big-endian).
            // Returning 0 lets lws echo the close; CLIENT_CLOSED follows.
            let code = cws_close_payload_code(input, length)
            connection.peerCloseCode = code >= 0 ? UInt16(code) : nil
            connection.peerClosed = true
        case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
            let detail = input.map { String(cString: $0.assumingMemoryBound(to: CChar.self)) }
            finish(connection, failure: detail ?? "connection error")
        case LWS_CALLBACK_CLIENT_CLOSED, LWS_CALLBACK_WSI_DESTROY:
            finish(connection, failure: nil)
        default:
            break
        }
        return 0
    }

    private func finish(_ connection: Connection, failure: String?) {
        connection.wsi = nil
        connections[connection.id] = nil
        connection.didEnd(failure: failure)
        stopIfDone()
    }

    private func receive(
        on wsi: OpaquePointer, for connection: Connection, input: UnsafeMutableRawPointer?,
        length: Int
    ) -> Int32 {
        // lws hands over a message in pieces (frames, and parts of large frames); the last
        // piece of the last frame is the one where lws_is_final_fragment is true.
        if connection.receiving.isEmpty { connection.receivingBinary = lws_frame_is_binary(wsi) != 0 }
        if let input, length > 0 {
            guard connection.receiving.count + length <= maximumMessageSize else {
                cws_close_with(wsi, 1009)
                return -1
            }
            let bytes = UnsafeRawBufferPointer(start: input, count: length)
            connection.receiving.append(contentsOf: bytes)
        }
        guard lws_is_final_fragment(wsi) != 0 else { return 0 }
        let message = connection.receiving
        connection.receiving = []
        if connection.delegate != nil {
            connection.deliverToDelegate(message, binary: connection.receivingBinary)
        } else if connection.receivingBinary {
            connection.deliver(.binary(message))
        } else {
            connection.deliver(.text(String(decoding: message, as: UTF8.self)))
        }
        return 0
    }

    /// One frame per WRITEABLE callback, as lws requires; asks for the next callback if more wait.
    private func write(on wsi: OpaquePointer, for connection: Connection) -> Int32 {
        guard let (item, more) = connection.nextOutgoing() else { return 0 }
        switch item {
        case .frame(let bytes, let binary, let first, let final):
            let written = bytes.withUnsafeBufferPointer { buffer in
                cws_write_ws(
                    wsi, buffer.baseAddress, buffer.count, binary ? 1 : 0, first ? 1 : 0,
                    final ? 1 : 0)
            }
            if written < bytes.count { return -1 }
        case .close(let code):
            cws_close_with(wsi, Int32(code))
            return -1
        }
        if more { lws_callback_on_writable(wsi) }
        return 0
    }
}

private func withOptionalCString<R>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let string else { return body(nil) }
    return string.withCString { body($0) }
}
