import CWebSockets
import JembatanCore

/// One WebSocket connection's edge state, owned by the service thread.
final class Connection {
    let id: ConnectionID
    let wsi: OpaquePointer
    /// Frames waiting for `SERVER_WRITEABLE`, each with LWS_PRE bytes of headroom.
    var outbox: [[UInt8]] = []
    var outboxHead = 0
    var outboxBytes = 0
    var closeCode: CloseCode?
    /// The message being reassembled from fragments.
    var incoming: [UInt8] = []
    var incomingIsBinary = false
    var incomingTooBig = false
    /// The conformance echo (`--conformance-echo`): messages come back as they were sent.
    var echo = false
    /// Indexes into `outbox` of binary frames (only an echo sends those).
    var binaryFrames: Set<Int> = []

    init(id: ConnectionID, wsi: OpaquePointer) {
        self.id = id
        self.wsi = wsi
    }

    var hasQueuedFrames: Bool { outboxHead < outbox.count }

    func enqueue(_ payload: [UInt8], binary: Bool = false) {
        var frame = [UInt8](repeating: 0, count: Int(cws_pre()))
        frame.append(contentsOf: payload)
        if binary { binaryFrames.insert(outbox.count) }
        outbox.append(frame)
        outboxBytes += payload.count
    }

    func dequeue() -> (frame: [UInt8], binary: Bool)? {
        guard hasQueuedFrames else { return nil }
        let frame = outbox[outboxHead]
        let binary = binaryFrames.remove(outboxHead) != nil
        outboxHead += 1
        outboxBytes -= frame.count - Int(cws_pre())
        if outboxHead > 64 && outboxHead * 2 > outbox.count && binaryFrames.isEmpty {
            outbox.removeFirst(outboxHead)
            outboxHead = 0
        }
        return (frame, binary)
    }

    func dropQueue() {
        binaryFrames = []
        outbox = []
        outboxHead = 0
        outboxBytes = 0
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
