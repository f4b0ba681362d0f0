import CWebSockets
import JembatanCore

/// One WebSocket connection's edge state, owned by the service thread.
final class Connection {
    let id: ConnectionID
    let wsi: OpaquePointer
    /// Frames waiting for `SERVER_WRITEABLE`, already framed (``WebSocketFrame``): whatever
    /// queued up since the last write goes out in one `send()`. One frame per writeable
    /// callback had cost a `send()` and two `epoll_ctl` calls per frame (README, "Load").
    private(set) var outbox: [UInt8] = []
    var closeCode: CloseCode?
    /// Listed in ``BrokerLoop/unflushed``.
    var awaitingFlush = false
    /// Closed by libwebsockets: `wsi` is freed and must not be touched.
    var isGone = false
    /// The peer sent a close frame: frames go only through the writeable callback, which
    /// libwebsockets no longer calls.
    var peerClosed = false
    /// The message being reassembled from fragments.
    var incoming: [UInt8] = []
    var incomingIsBinary = false
    var incomingTooBig = false
    /// The real client's address (behind a trusted proxy, the one it names), for logs.
    var clientAddress: IPAddress?
    /// The conformance echo (`--conformance-echo`): messages come back as they were sent.
    var echo = false
    /// Loop time (ms) of the last frame or pong from the peer, and of the ping it has left
    /// unanswered since, if any (``BrokerLoop/sweepConnections()``).
    var lastHeard: UInt64
    var pingedAt: UInt64?
    /// Loop time (ms) by which `hello` must have come; nil once checked.
    var helloDeadline: UInt64?

    init(id: ConnectionID, wsi: OpaquePointer, now: UInt64) {
        self.id = id
        self.wsi = wsi
        self.lastHeard = now
    }

    var hasQueuedFrames: Bool { !outbox.isEmpty }
    var outboxBytes: Int { outbox.count }

    func enqueue(_ payload: [UInt8], binary: Bool = false) {
        WebSocketFrame.appendHeader(payloadLength: payload.count, binary: binary, to: &outbox)
        outbox.append(contentsOf: payload)
    }

    /// A ping, queued behind the frames already waiting. It carries one byte: lws 4.1 does
    /// not report an empty pong to the server's callback.
    func enqueuePing() {
        outbox += [0x89, 0x01, 0x6A]
    }

    /// Hands every queued frame to libwebsockets at once; false if the connection failed.
    func writeQueued() -> Bool {
        guard hasQueuedFrames else { return true }
        let count = outbox.count
        let written = outbox.withUnsafeMutableBufferPointer { cws_write_framed(wsi, $0.baseAddress!, count) }
        outbox = []
        return written >= count
    }

    func dropQueue() {
        outbox = []
    }
}

/// The header of one unfragmented WebSocket frame from a server (RFC 6455 §5.2: FIN set, no
/// mask, the length in 7, 7+16 or 7+64 bits).
enum WebSocketFrame {
    static func appendHeader(payloadLength length: Int, binary: Bool, to out: inout [UInt8]) {
        out.append(0x80 | (binary ? 0x2 : 0x1))
        switch length {
        case ..<126:
            out.append(UInt8(length))
        case ...0xFFFF:
            out.append(126)
            out.append(UInt8(length >> 8))
            out.append(UInt8(length & 0xFF))
        default:
            out.append(127)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8((UInt64(length) >> UInt64(shift)) & 0xFF)) }
        }
    }
}

/// An HTTP request waiting for the store before it can be answered.
struct PendingHTTP {
    let wsi: OpaquePointer
    var response: HTTPReply?
    var responder: (@Sendable (StoreResult) -> HTTPReply)?
    /// A POST: its path, and its body as it arrives.
    var postPath: String?
    var body: [UInt8] = []
    /// Answered by the broker core as a one-shot connection with this id.
    var oneShot: ConnectionID?
}

/// A complete HTTP response.
struct HTTPReply: Sendable {
    var status: UInt32
    var contentType: String
    var body: [UInt8]
    /// A Content-Security-Policy header (the web pages: only this origin's scripts and sockets).
    var securityPolicy: String? = nil

    static func json(_ status: UInt32, _ value: JSONValue) -> HTTPReply {
        HTTPReply(status: status, contentType: "application/json; charset=utf-8", body: JSONWriter.bytes(value))
    }

    static func error(_ status: UInt32, _ code: ErrorCode, _ detail: String) -> HTTPReply {
        json(status, .object(["type": "error", "code": .string(code.rawValue), "detail": .string(detail)]))
    }
}
