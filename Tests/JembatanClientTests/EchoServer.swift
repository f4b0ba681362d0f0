import CWebSockets
import Foundation

@testable import JembatanClient

/// A libwebsockets echo server for the client tests, on 127.0.0.1 and a kernel-chosen port.
/// - A text or binary message comes back as the same kind; replies over 16 KiB go out as
///   16 KiB fragments, one per writeable callback (so the client's reassembly is exercised).
/// - The text "close:NNNN" makes the server close with code NNNN.
/// - Any HTTP request gets 200 "echo <path>".
final class EchoServer: @unchecked Sendable {
    // Safe: `stopping` is guarded by `lock`; `sessions` and `stopRequested` are only used
    // on the service thread; `context` is written before that thread starts.
    private let lock = ConditionLock()
    private var stopping = false
    private var stopped = false
    private var stopRequested = false
    private var context: OpaquePointer?
    private let protocols = UnsafeMutablePointer<lws_protocols>.allocate(capacity: 2)
    private let interface = strdup("127.0.0.1")!
    fileprivate var sessions: [OpaquePointer: Session] = [:]
    private(set) var port = 0

    fileprivate final class Session {
        var receiving: [UInt8] = []
        var receivingBinary = false
        var replies = FIFO<(bytes: [UInt8], binary: Bool)>()
        var sentOfCurrent = 0
    }

    static let fragmentSize = 16 * 1024

    init() throws {
        lws_set_log_level(LLL_ERR | LLL_WARN, nil)
        protocols.initialize(repeating: lws_protocols(), count: 2)
        protocols[0].name = UnsafePointer(strdup("jembatan.v1"))
        protocols[0].callback = echoCallback
        protocols[0].rx_buffer_size = 4096
        var info = lws_context_creation_info()
        info.port = 0
        info.iface = UnsafePointer(interface)
        info.protocols = UnsafePointer(protocols)
        info.user = Unmanaged.passUnretained(self).toOpaque()
        info.options = UInt64(LWS_SERVER_OPTION_DISABLE_IPV6) | UInt64(LWS_SERVER_OPTION_VALIDATE_UTF8)
        guard let context = lws_create_context(&info) else { throw ClientError.connectFailed("echo server") }
        self.context = context
        port = Int(lws_get_vhost_listen_port(lws_get_vhost_by_name(context, "default")))
        let thread = Thread { [self] in run() }
        thread.start()
    }

    /// Stops the loop and destroys the context (closing every connection with 1001 first).
    func stop() {
        lock.withLock {
            stopping = true
            if let context { lws_cancel_service(context) }
            while !stopped { _ = lock.wait(untilNanoseconds: .max) }
        }
    }

    private func run() {
        guard let context else { return }
        while !stopRequested && lws_service(context, 0) >= 0 {}
        lock.withLock { self.context = nil }
        lws_context_destroy(context)
        lock.withLock {
            stopped = true
            lock.broadcast()
        }
    }

    fileprivate func handle(
        _ wsi: OpaquePointer, _ reason: lws_callback_reasons,
        _ input: UnsafeMutableRawPointer?, _ length: Int
    ) -> Int32 {
        switch reason {
        case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
            stopRequested = lock.withLock { stopping }
        case LWS_CALLBACK_HTTP:
            let path = input.map { String(cString: $0.assumingMemoryBound(to: CChar.self)) } ?? ""
            return respond(wsi, body: Array("echo \(path)".utf8))
        case LWS_CALLBACK_ESTABLISHED:
            sessions[wsi] = Session()
        case LWS_CALLBACK_RECEIVE:
            guard let session = sessions[wsi] else { return -1 }
            if session.receiving.isEmpty { session.receivingBinary = lws_frame_is_binary(wsi) != 0 }
            if let input { session.receiving += UnsafeRawBufferPointer(start: input, count: length) }
            guard lws_is_final_fragment(wsi) != 0 else { return 0 }
            let message = session.receiving
            session.receiving = []
            let text = String(decoding: message, as: UTF8.self)
            if !session.receivingBinary, text.hasPrefix("close:"), let code = Int32(text.dropFirst(6)) {
                cws_close_with(wsi, code)
                return -1
            }
            session.replies.append((message, session.receivingBinary))
            lws_callback_on_writable(wsi)
        case LWS_CALLBACK_SERVER_WRITEABLE:
            guard let session = sessions[wsi], let reply = session.replies.first else { return 0 }
            let start = session.sentOfCurrent
            let end = min(start + Self.fragmentSize, reply.bytes.count)
            let written = reply.bytes.withUnsafeBufferPointer { buffer in
                cws_write_ws(
                    wsi, buffer.baseAddress.map { $0 + start }, end - start,
                    reply.binary ? 1 : 0, start == 0 ? 1 : 0, end == reply.bytes.count ? 1 : 0)
            }
            if written < end - start { return -1 }
            if end == reply.bytes.count {
                _ = session.replies.popFirst()
                session.sentOfCurrent = 0
            } else {
                session.sentOfCurrent = end
            }
            if !session.replies.isEmpty { lws_callback_on_writable(wsi) }
        case LWS_CALLBACK_CLOSED:
            sessions[wsi] = nil
        default:
            return lws_callback_http_dummy(wsi, reason, nil, input, length)
        }
        return 0
    }

    private func respond(_ wsi: OpaquePointer, body: [UInt8]) -> Int32 {
        var head = [UInt8](repeating: 0, count: 1024)
        let headLength = head.withUnsafeMutableBufferPointer { buffer -> Int in
            let base = buffer.baseAddress!
            var cursor: UnsafeMutablePointer<UInt8>? = base
            let end = base + buffer.count
            if lws_add_http_common_headers(wsi, 200, "text/plain", lws_filepos_t(body.count), &cursor, end) != 0
                || lws_finalize_http_header(wsi, &cursor, end) != 0
            {
                return -1
            }
            return cursor! - base
        }
        guard headLength > 0,
            cws_write_copy(wsi, head, headLength, LWS_WRITE_HTTP_HEADERS) == headLength,
            cws_write_copy(wsi, body, body.count, LWS_WRITE_HTTP_FINAL) == body.count
        else { return -1 }
        return lws_http_transaction_completed(wsi) != 0 ? -1 : 0
    }
}

private func echoCallback(
    _ wsi: OpaquePointer?, _ reason: lws_callback_reasons, _ user: UnsafeMutableRawPointer?,
    _ input: UnsafeMutableRawPointer?, _ length: Int
) -> Int32 {
    guard let wsi, let context = lws_get_context(wsi), let owner = lws_context_user(context) else {
        return lws_callback_http_dummy(wsi, reason, user, input, length)
    }
    let server = Unmanaged<EchoServer>.fromOpaque(owner).takeUnretainedValue()
    return server.handle(wsi, reason, input, length)
}
