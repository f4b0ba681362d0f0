import CWebSockets
import Foundation

/// One libwebsockets client context and the thread that services it: any number of
/// ``WebSocketClient`` connections share it. libwebsockets is not thread-safe, so callers
/// never touch lws directly: they post commands to a mailbox and wake the loop with
/// `lws_cancel_service`, which runs `LWS_CALLBACK_EVENT_WAIT_CANCELLED` on the service
/// thread, where the commands are carried out.
///
/// The loop runs on libuv (lws' poll() loop slows down badly with thousands of idle
/// connections) and falls back to poll() when the libuv event-lib plugin is missing.
public final class ClientLoop: @unchecked Sendable {
    // Safe: `mailbox`, `nextID`, `accepting` and `finished` are guarded by `lock`;
    // `connections` and `shuttingDown` are only used on the service thread (inside lws
    // callbacks, which lws runs there); `client` and `libuv` are written in init before the
    // thread starts, then `client` is used by that thread and by `post` while `accepting`.

    enum Command {
        case connect(Connection)
        case flush(Connection)
        case abort(Connection)
        case shutdown
        case run(@Sendable () -> Void)
    }

    /// A loop for the whole process, started on first use and never shut down.
    public static let shared = ClientLoop()

    private let lock = ConditionLock()
    private var mailbox: [Command] = []
    private var nextID = 1
    private var accepting = false
    private var finished = false
    private var client: UnsafeMutablePointer<cws_client>?
    private var libuv = false
    private var serviceThread: pthread_t?
    var connections: [Int: Connection] = [:]
    var shuttingDown = false
    /// Service thread: how deep inside lws callbacks we are, and the connections given
    /// frames meanwhile (written when the outermost callback returns).
    var callbackDepth = 0
    var unflushed: [Connection] = []

    var clientPointer: UnsafeMutablePointer<cws_client>? { client }

    /// Whether the loop runs on libuv (false: lws' poll() loop).
    public var usesLibuv: Bool { libuv }

    /// Starts a client context and its service thread, on libuv when available.
    public convenience init() {
        self.init(preferLibuv: true)
    }

    /// `preferLibuv: false` forces lws' poll() loop: fine for a handful of connections, and
    /// its ``shutdown()`` frees everything (see there for libuv).
    public init(preferLibuv: Bool) {
        configureLogging()
        let user = Unmanaged.passUnretained(self).toOpaque()
        var created = preferLibuv ? cws_client_new(clientCallback, user, 1) : nil
        if created == nil { created = cws_client_new(clientCallback, user, 0) }
        guard let created else {
            // Connects will fail with a clear error; nothing else can be done without lws.
            finished = true
            return
        }
        client = created
        libuv = cws_client_uses_libuv(created) != 0
        accepting = true
        // The thread keeps `self` alive until the loop has shut down.
        let thread = Thread { [self] in run() }
        thread.name = "jembatan-client-lws"
        thread.start()
    }

    /// Closes every connection with 1001 (going away; their clients then receive `.closed`),
    /// stops the service thread and blocks until it has. Later connects fail. Do not call it
    /// on the service thread.
    ///
    /// A poll() loop's context is then destroyed. A libuv loop's context and event loop are
    /// left allocated (a few file descriptors and some hundred KiB): destroying a libuv
    /// context in lws 4.1.6 closes its event-pipe descriptor twice, and in between another
    /// thread may have been given that number, which the second close would take away.
    public func shutdown() {
        let posted = lock.withLock {
            guard accepting, let client else { return false }
            accepting = false
            mailbox.append(.shutdown)
            lws_cancel_service(cws_client_context(client))
            return true
        }
        lock.withLock {
            while posted && !finished {
                _ = lock.wait(untilNanoseconds: .max)
            }
        }
    }

    /// Runs `work` on the service thread, after the events already waiting, where
    /// ``WebSocketDelegate`` methods run too: state shared only with them needs no lock.
    /// Returns false (and drops `work`) when the loop is shutting down.
    @discardableResult
    public func execute(_ work: @escaping @Sendable () -> Void) -> Bool {
        post(.run(work))
    }

    /// A fresh connection id; ids double as lws' per-session user pointer, so never 0.
    func makeConnectionID() -> Int {
        lock.withLock {
            defer { nextID += 1 }
            return nextID
        }
    }

    /// Hands a command to the service thread. Returns false when the loop is shutting down.
    @discardableResult
    func post(_ command: Command) -> Bool {
        lock.withLock {
            guard accepting, let client else { return false }
            // A send from a delegate on the service thread asks lws directly: a wake-up per
            // message through the mailbox would cost a pipe write and a loop turn each.
            if case .flush(let connection) = command, let serviceThread, pthread_equal(serviceThread, pthread_self()) != 0 {
                requestWrite(connection)
                return true
            }
            let wasEmpty = mailbox.isEmpty
            mailbox.append(command)
            // Only the first command since the last drain needs a wake-up: the drain takes
            // the whole mailbox. Called under the lock so the context cannot be freed now.
            if wasEmpty { lws_cancel_service(cws_client_context(client)) }
            return true
        }
    }

    /// Service thread: the commands posted since the last call.
    func takeCommands() -> [Command] {
        lock.withLock {
            defer { mailbox.removeAll(keepingCapacity: true) }
            return mailbox
        }
    }

    /// Service thread: starts closing everything; the loop stops once nothing is left.
    func beginShutdown() {
        shuttingDown = true
        for connection in connections.values {
            guard let wsi = connection.wsi else { continue }
            if connection.enqueueClose(1001) {
                lws_callback_on_writable(wsi)
            } else if !connection.isOpen {
                cws_kill_async(wsi)  // still handshaking: nothing to say goodbye to
            }
        }
        stopIfDone()
    }

    /// Service thread: ends the loop once shutting down and every connection is gone
    /// (lws bounds each close handshake with its own timeout).
    func stopIfDone() {
        if shuttingDown && connections.isEmpty, let client { cws_client_stop(client) }
    }

    private func run() {
        guard let client else { return }
        lock.withLock { serviceThread = pthread_self() }
        cws_client_run(client)
        if !libuv {
            cws_client_free(client)  // see shutdown() for why libuv contexts are kept
        }
        for connection in connections.values {
            connection.didEnd(failure: "client loop shut down")
        }
        connections.removeAll()
        lock.withLock {
            finished = true
            mailbox.removeAll()
            lock.broadcast()
        }
    }
}

/// lws logs to stderr; keep it to errors and warnings, once per process.
private let loggingConfigured: Void = lws_set_log_level(LLL_ERR | LLL_WARN, nil)

private func configureLogging() { _ = loggingConfigured }
