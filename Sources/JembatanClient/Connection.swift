/// One WebSocket connection's state, shared by the caller's ``WebSocketClient`` and the
/// service thread of its ``ClientLoop``.
final class Connection: @unchecked Sendable {
    // Safe: fields under "guarded" are only touched with `lock` held; fields under "service
    // thread" are only touched by the loop's callback, which lws runs on one thread.

    enum Outgoing {
        case frame([UInt8], binary: Bool, first: Bool, final: Bool)
        case close(UInt16)
    }

    struct Request: Sendable {
        var host: String
        var port: Int
        var path: String
        var subprotocol: String?
        var headers: [(name: String, value: String)]
        var transport = Transport()
    }

    let id: Int
    let request: Request
    let lock = ConditionLock()

    // guarded
    private var opened = false
    private var failure: ClientError?
    private var ended = false
    private var closeQueued = false
    private var closeDelivered = false
    private var inbox = FIFO<WebSocketEvent>()
    private var outbox = FIFO<Outgoing>()

    // Written once by `WebSocketClient.open` before the connect is posted, then read on the
    // service thread; the delegate is let go when the connection ends.
    var delegate: (any WebSocketDelegate)?
    weak var owner: WebSocketClient?

    // service thread
    var wsi: OpaquePointer?
    var receiving: [UInt8] = []
    var receivingBinary = false
    var peerCloseCode: UInt16?
    /// The server sent its close frame: nothing more may be written.
    var peerClosed = false
    /// Listed in ``ClientLoop/unflushed``.
    var awaitingFlush = false

    init(id: Int, request: Request) {
        self.id = id
        self.request = request
    }

    // MARK: caller side

    /// Blocks until the handshake finished or failed. Returns nil once open, the failure
    /// otherwise, `.timeout` when the deadline passed first.
    func waitUntilOpen(deadline: UInt64) -> ClientError? {
        lock.withLock {
            while !opened && failure == nil {
                if !lock.wait(untilNanoseconds: deadline) { return .timeout("no handshake") }
            }
            return opened ? nil : failure
        }
    }

    /// Queues frames; returns true when the queue was empty, i.e. the loop must be told to
    /// ask lws for a writeable callback (otherwise one is already due). Drops them once a
    /// close was queued or the connection ended.
    func enqueue(_ items: [Outgoing]) -> Bool {
        lock.withLock {
            guard !closeQueued, !ended else { return false }
            let wasEmpty = outbox.isEmpty
            for item in items {
                outbox.append(item)
                if case .close = item { closeQueued = true }
            }
            return wasEmpty && opened
        }
    }

    func receive(deadline: UInt64) throws -> WebSocketEvent {
        try lock.withLock {
            while true {
                if let event = inbox.popFirst() {
                    if case .closed = event { closeDelivered = true }
                    return event
                }
                if closeDelivered { throw ClientError.closed }
                if !lock.wait(untilNanoseconds: deadline) { throw ClientError.timeout }
            }
        }
    }

    var isClosed: Bool { lock.withLock { ended } }

    var isOpen: Bool { lock.withLock { opened && !ended } }

    /// Queues a close unless one is queued already or the connection is not open; returns
    /// true when the caller must ask lws for a writeable callback.
    func enqueueClose(_ code: UInt16) -> Bool {
        lock.withLock {
            guard opened, !ended, !closeQueued else { return false }
            outbox.append(.close(code))
            closeQueued = true
            return true
        }
    }

    // MARK: service thread side

    /// The handshake succeeded; returns true when frames are already waiting to be written.
    func didOpen() -> Bool {
        let waiting = lock.withLock {
            opened = true
            lock.broadcast()
            return !outbox.isEmpty
        }
        if let delegate, let owner { delegate.webSocketDidOpen(owner) }
        return waiting
    }

    /// A whole message for the delegate, undecoded (see ``WebSocketDelegate``).
    func deliverToDelegate(_ message: [UInt8], binary: Bool) {
        if let delegate, let owner { delegate.webSocket(owner, didReceive: message, binary: binary) }
    }

    /// The next item if it is a frame (a close is left for the writeable callback, where
    /// lws lets it be sent).
    func nextFrame() -> Outgoing? {
        lock.withLock {
            guard case .frame = outbox.first else { return nil }
            return outbox.popFirst()
        }
    }

    var hasOutgoing: Bool { lock.withLock { !outbox.isEmpty } }

    /// The next frame to write and whether more remain after it.
    func nextOutgoing() -> (Outgoing, more: Bool)? {
        lock.withLock {
            guard let item = outbox.popFirst() else { return nil }
            return (item, !outbox.isEmpty)
        }
    }

    func deliver(_ event: WebSocketEvent) {
        lock.withLock {
            inbox.append(event)
            lock.broadcast()
        }
    }

    /// The connection is over: before the handshake completed (`failure`) or after it.
    func didEnd(failure detail: String?) {
        let outcome: (code: UInt16?, failure: ClientError?)? = lock.withLock {
            guard !ended else { return nil }
            ended = true
            outbox = FIFO()
            if opened {
                inbox.append(.closed(code: peerCloseCode))
            } else {
                failure = .connectFailed(detail ?? "closed during handshake")
            }
            lock.broadcast()
            return (peerCloseCode, failure)
        }
        // Outside the lock: the delegate may send or open from here.
        guard let outcome, let delegate else { return }
        self.delegate = nil
        if let owner { delegate.webSocket(owner, didEndWithCode: outcome.code, failure: outcome.failure) }
    }
}
