import CWebSockets
import Foundation
import JembatanCore

/// The one libwebsockets callback. It finds its `BrokerLoop` through the context's user
/// pointer and the connection through the per-session user data (a `UInt64` id).
let brokerCallback: cws_callback_t = { wsi, reason, user, input, length in
    guard let wsi, let context = lws_get_context(wsi), let raw = lws_context_user(context) else { return 0 }
    let loop = Unmanaged<BrokerLoop>.fromOpaque(raw).takeUnretainedValue()
    let result = loop.handle(wsi, reason, user, input, length)
    loop.flushStoreJobs()
    loop.flushWrites()
    return result
}

/// SIGINT/SIGTERM, delivered by the loop's libuv signal watchers on the service thread.
let brokerSignal: cws_signal_cb_t = { _ in
    BrokerLoop.signalled()
}

extension BrokerLoop {
    /// The loop that receives signals (one broker per process serves signals).
    /// Runs on the service thread, where the loop lives; only one served loop per process
    /// takes signals (the `serve` command's).
    nonisolated(unsafe) static var signalTarget: BrokerLoop?

    static func signalled() {
        signalTarget?.beginShutdown()
    }

    func handle(
        _ wsi: OpaquePointer, _ reason: lws_callback_reasons, _ user: UnsafeMutableRawPointer?,
        _ input: UnsafeMutableRawPointer?, _ length: Int
    ) -> Int32 {
        switch reason {
        case LWS_CALLBACK_FILTER_NETWORK_CONNECTION:
            // `input` carries the accepted socket's descriptor.
            let fd = Int32(truncatingIfNeeded: Int(bitPattern: input))
            return admitAccepted(fd: fd) ? 0 : 1
        case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
            let path = requestPath(wsi)
            if shuttingDown || (path != "/ws" && !configuration.conformanceEcho) { return 1 }
            return admitUpgrade(wsi) ? 0 : 1
        case LWS_CALLBACK_ESTABLISHED:
            guard let user else { return -1 }
            let id = ConnectionID(makeID())
            user.storeBytes(of: id.rawValue, as: UInt64.self)
            let connection = Connection(id: id, wsi: wsi, now: loopMilliseconds)
            connection.clientAddress = clientAddress(wsi)
            connections[id] = connection
            metrics.connections.record(connections.count)
            if configuration.conformanceEcho && requestPath(wsi) != "/ws" {
                connection.echo = true  // not a broker connection: no hello, no deadline
                return 0
            }
            broker.connected(id)
            connection.helloDeadline = connection.lastHeard + UInt64(configuration.helloTimeoutSeconds) * 1000
        case LWS_CALLBACK_RECEIVE:
            guard let id = connectionID(user), let connection = connections[id] else { return -1 }
            heard(connection)
            return receive(connection, wsi, input, length)
        case LWS_CALLBACK_RECEIVE_PONG:
            if let id = connectionID(user), let connection = connections[id] { heard(connection) }
        case LWS_CALLBACK_SERVER_WRITEABLE:
            guard let id = connectionID(user), let connection = connections[id] else { return -1 }
            return writeNext(connection)
        case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
            // libwebsockets answers the close; nothing may be written after that.
            if let id = connectionID(user) { connections[id]?.peerClosed = true }
        case LWS_CALLBACK_CLOSED:
            guard let id = connectionID(user) else { return 0 }
            connections[id]?.isGone = true
            connections[id] = nil
            metrics.connections.record(connections.count)
            perform(broker.disconnected(id, now: Date()))
        case LWS_CALLBACK_HTTP:
            return handleHTTP(wsi, user)
        case LWS_CALLBACK_HTTP_WRITEABLE:
            return writeHTTP(wsi, user)
        case LWS_CALLBACK_HTTP_BODY:
            return receiveBody(wsi, user, input, length)
        case LWS_CALLBACK_HTTP_BODY_COMPLETION:
            return completePOST(wsi, user)
        case LWS_CALLBACK_CLOSED_HTTP:
            guard let user else { return 0 }
            let id = user.load(as: UInt64.self)
            if let oneShot = pendingHTTP[id]?.oneShot { broker.disconnected(oneShot, now: Date()) }
            pendingHTTP[id] = nil
        case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
            drainCompletions()
            if isStopRequested { beginShutdown() }
        default:
            break
        }
        return lws_callback_http_dummy(wsi, reason, user, input, length)
    }

    func connectionID(_ user: UnsafeMutableRawPointer?) -> ConnectionID? {
        guard let user else { return nil }
        let raw = user.load(as: UInt64.self)
        return raw == 0 ? nil : ConnectionID(raw)
    }

    /// Reassembles a message from its fragments, within the size bound.
    private func receive(_ connection: Connection, _ wsi: OpaquePointer, _ input: UnsafeMutableRawPointer?, _ length: Int) -> Int32 {
        if lws_is_first_fragment(wsi) != 0 && connection.incoming.isEmpty {
            connection.incomingIsBinary = lws_frame_is_binary(wsi) != 0
        }
        if connection.incoming.count + length > configuration.maxMessageBytes {
            cws_set_close(wsi, Int32(CloseCode.tooBig.rawValue))
            return -1
        }
        if let input, length > 0 {
            connection.incoming.append(contentsOf: UnsafeRawBufferPointer(start: input, count: length))
        }
        guard lws_is_final_fragment(wsi) != 0, lws_remaining_packet_payload(wsi) == 0 else { return 0 }
        let message = connection.incoming
        connection.incoming = []
        if connection.echo {
            connection.enqueue(message, binary: connection.incomingIsBinary)
            lws_callback_on_writable(wsi)
            return 0
        }
        if connection.incomingIsBinary {
            perform(broker.receivedBinary(from: connection.id))
        } else {
            perform(broker.received(message, from: connection.id, now: Date()), from: connection)
        }
        return 0
    }

    /// Everything queued in one write; a pending close goes out after the frames queued
    /// before it, at the next writeable callback (libwebsockets first sends whatever of this
    /// write the socket did not take).
    private func writeNext(_ connection: Connection) -> Int32 {
        if connection.hasQueuedFrames {
            guard connection.writeQueued() else { return -1 }
            if connection.closeCode != nil { lws_callback_on_writable(connection.wsi) }
            return 0
        }
        if let code = connection.closeCode {
            // Not `return -1`: from a writeable callback that drops the socket without a
            // close frame (see cws_close_politely).
            cws_close_politely(connection.wsi, Int32(code.rawValue))
        }
        return 0
    }

    func postPath(_ wsi: OpaquePointer) -> String? {
        var buffer = [CChar](repeating: 0, count: 1024)
        guard cws_header(wsi, WSI_TOKEN_POST_URI, &buffer, Int32(buffer.count)) >= 0 else { return nil }
        return String(cBuffer: buffer)
    }

    func requestPath(_ wsi: OpaquePointer) -> String? {
        var buffer = [CChar](repeating: 0, count: 1024)
        guard cws_header(wsi, WSI_TOKEN_GET_URI, &buffer, Int32(buffer.count)) >= 0 else { return nil }
        return String(cBuffer: buffer)
    }
}

extension String {
    /// A string from a NUL-terminated C buffer.
    init(cBuffer buffer: [CChar]) {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        self = String(decoding: bytes, as: UTF8.self)
    }
}
