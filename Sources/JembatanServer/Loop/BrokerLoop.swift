import CWebSockets
import Foundation
import JembatanCore
import Logging

/// The service thread's world: the libwebsockets context, every connection and the broker
/// core. Everything here runs on that one thread (like a Redis or nginx worker), except
/// `requestStop()` and the store worker's mailbox, which are thread-safe.
final class BrokerLoop: @unchecked Sendable {
    // Safe: mutable state is touched only on the service thread (inside lws callbacks);
    // `stopRequested` is guarded by `lock`.
    let configuration: ServerConfiguration
    let worker: StoreWorker
    let reports: StoreWorker
    let metrics: BrokerMetrics
    /// New connections per client address.
    var gate: ConnectionGate
    /// When each address's refusals were last logged (a flood logs once a minute).
    var refusalsLogged: [IPAddress: Date] = [:]
    /// The PROXY protocol listener and the clients it named.
    var proxied = ProxiedConnections()
    let tokens: HS256Tokens
    let transcripts: TranscriptFormatter
    let localizer: Localizer
    let web: WebAssets
    let logger: Logger
    var broker: Broker
    var context: OpaquePointer?
    var uvLoop: UnsafeMutablePointer<uv_loop_t>?
    var connections: [ConnectionID: Connection] = [:]
    var pendingHTTP: [UInt64: PendingHTTP] = [:]
    var nextID: UInt64 = 0
    var storeJobs: [StoreWorker.Job] = []
    /// Connections given frames since the last ``flushWrites()``.
    var unflushed: [Connection] = []
    var shuttingDown = false
    var shutdownTimer: UnsafeMutablePointer<cws_timer>?
    var retentionTimer: UnsafeMutablePointer<cws_timer>?
    var tickTimer: UnsafeMutablePointer<cws_timer>?
    /// `WATCHDOG=1` for systemd, from ``tick()`` (nil when not run with `WatchdogSec=`).
    lazy var watchdog = SystemdWatchdog(configuration.systemd)
    var shutdownStarted = Date()
    /// Cluster mode with a bus: wake-ups to and from the other nodes serving the same sessions.
    var cluster: ClusterWakeups?
    var nextClusterCheck = Date()
    var nextSnapshot = Date()
    /// Store requests whose commit the other nodes must hear of (active-active).
    var sharedRequests: Set<StoreRequestID> = []

    private let lock = Lock()
    private var stopRequested = false

    init(
        configuration: ServerConfiguration, broker: Broker, worker: StoreWorker, reports: StoreWorker, metrics: BrokerMetrics,
        tokens: HS256Tokens, localizer: Localizer, logger: Logger
    ) {
        self.configuration = configuration
        self.broker = broker
        self.worker = worker
        self.reports = reports
        self.metrics = metrics
        self.gate = ConnectionGate(perWindow: configuration.connectionsPerIPPer10s, pool: configuration.connectionPool)
        self.tokens = tokens
        self.localizer = localizer
        self.transcripts = TranscriptFormatter(localizer: localizer)
        self.web = WebAssets.load(directory: WebLocator.find(configured: configuration.webDirectory))
        self.logger = logger
    }

    func makeID() -> UInt64 {
        nextID += 1
        return nextID
    }

    // MARK: - Actions

    /// `connection`: the one whose frame caused these actions; its client's address goes
    /// into the audit entries among them.
    func perform(_ actions: [BrokerAction], from connection: Connection? = nil) {
        // A frame sent to several connections in a row (a message to each member) is encoded once.
        var encoded: (frame: JSONValue, bytes: [UInt8])?
        for action in actions {
            switch action {
            case .send(let id, let frame):
                if let object = frame.objectValue, object["type"] == "error" { metrics.error(object["code"]?.stringValue ?? "unknown") }
                guard let connection = connections[id], connection.closeCode == nil else {
                    answerOneShot(id, frame)
                    continue
                }
                let bytes: [UInt8]
                if let encoded, encoded.frame.sharesStorage(with: frame) {
                    bytes = encoded.bytes
                } else {
                    bytes = JSONWriter.bytes(frame)
                    encoded = (frame, bytes)
                }
                connection.enqueue(bytes)
                if connection.outboxBytes > configuration.sendQueueBytes {
                    // Too slow to keep up: drop what is queued; it resumes from the transcript.
                    logger.notice(
                        "closing slow client",
                        metadata: [
                            "connection.id": "\(id)", "queue.bytes": "\(connection.outboxBytes)",
                            "client.address": "\(connection.clientAddress.map(String.init(describing:)) ?? "-")",
                        ])
                    connection.dropQueue()
                    metrics.sendQueueDrops.increment()
                    connection.closeCode = .tooSlow
                    cws_close_deadline(connection.wsi, 5)
                    lws_callback_on_writable(connection.wsi)
                } else if !connection.awaitingFlush {
                    connection.awaitingFlush = true
                    unflushed.append(connection)
                }
            case .close(let id, let code):
                guard let connection = connections[id], connection.closeCode == nil else { continue }
                connection.closeCode = code
                lws_callback_on_writable(connection.wsi)
            case .relay(let session, let frame):
                cluster?.relay(session, frame: JSONWriter.bytes(frame))
            case .store(let request, var command):
                if case .audit(let actor, let action, let subject, nil) = command, let address = connection?.clientAddress {
                    command = .audit(actor: actor, action: action, subject: subject, address: address.description)
                }
                if cluster != nil && configuration.broker.clusterActive && command.changesSharedState { sharedRequests.insert(request) }
                storeJobs.append(StoreWorker.Job(origin: .broker(request), command: command))
            }
        }
    }

    /// Hands the store work gathered during one callback to the store thread at once.
    func flushStoreJobs() {
        guard !storeJobs.isEmpty else { return }
        worker.submit(storeJobs)
        storeJobs = []
    }

    /// Results from the store thread: acks and deliveries go out now.
    func drainCompletions() {
        for completion in worker.takeCompletions() + reports.takeCompletions() {
            switch completion.origin {
            case .broker(let request):
                if case .appended(_, duplicate: false) = completion.result { metrics.messages.increment() }
                announce(request, completion.result)
                perform(broker.stored(request, result: completion.result, now: Date()))
            case .maintenance:
                if case .purged(let count) = completion.result, count > 0 {
                    logger.info("retention purged message text", metadata: ["messages": "\(count)"])
                }
            case .http(let id):
                guard var pending = pendingHTTP[id], let responder = pending.responder else { continue }
                pending.response = responder(completion.result)
                pending.responder = nil
                pendingHTTP[id] = pending
                lws_callback_on_writable(pending.wsi)
            }
        }
        hearOtherNodes()
    }

    // MARK: - Retention

    /// Purges expired text now and every hour after.
    func startRetention() {
        guard let days = configuration.retentionDays, let uvLoop else { return }
        let cutoff = Date().addingTimeInterval(-Double(days) * 86_400)
        worker.submit([StoreWorker.Job(origin: .maintenance, command: .purge(closedBefore: cutoff))])
        if retentionTimer == nil {
            retentionTimer = cws_timer_new(uvLoop, retentionTick, Unmanaged.passUnretained(self).toOpaque())
        }
        if let retentionTimer { cws_timer_schedule(retentionTimer, 3_600_000) }
    }

    /// Once a second the core checks its grace periods.
    func tick() {
        guard let uvLoop, !shuttingDown else { return }
        if tickTimer == nil { tickTimer = cws_timer_new(uvLoop, tickFired, Unmanaged.passUnretained(self).toOpaque()) }
        perform(broker.tick(now: Date()))
        followWatchedSessions()
        sweepConnections()
        flushStoreJobs()
        flushWrites()
        watchdog?.tick(now: loopMilliseconds)
        if let tickTimer { cws_timer_schedule(tickTimer, 1000) }
    }

    // MARK: - Stopping

    /// Thread-safe: asks the service thread to shut down.
    func requestStop() {
        lock.withLock { stopRequested = true }
        if let context { lws_cancel_service(context) }
    }

    var isStopRequested: Bool { lock.withLock { stopRequested } }

    /// Stop accepting, tell every client 1001, then end the loop once they are gone (or
    /// after two seconds).
    func beginShutdown() {
        guard !shuttingDown, context != nil else { return }
        shuttingDown = true
        shutdownStarted = Date()
        stopProxyListener()
        configuration.systemd?.notify("STOPPING=1")
        logger.info("shutting down", metadata: ["connections": "\(connections.count)"])
        for connection in connections.values {
            connection.closeCode = .goingAway
            lws_callback_on_writable(connection.wsi)
        }
        let user = Unmanaged.passUnretained(self).toOpaque()
        guard let uvLoop else { return }
        shutdownTimer = cws_timer_new(uvLoop, shutdownTick, user)
        if let shutdownTimer { cws_timer_schedule(shutdownTimer, 20) }
    }

    func shutdownCheck() {
        guard let shutdownTimer else { return }
        if connections.isEmpty || Date().timeIntervalSince(shutdownStarted) > 2 {
            if let uvLoop { cws_loop_stop(uvLoop) }
        } else {
            cws_timer_schedule(shutdownTimer, 20)
        }
    }
}

private func shutdownTick(_ user: UnsafeMutableRawPointer?) {
    guard let user else { return }
    Unmanaged<BrokerLoop>.fromOpaque(user).takeUnretainedValue().shutdownCheck()
}

private func retentionTick(_ user: UnsafeMutableRawPointer?) {
    guard let user else { return }
    Unmanaged<BrokerLoop>.fromOpaque(user).takeUnretainedValue().startRetention()
}

private func tickFired(_ user: UnsafeMutableRawPointer?) {
    guard let user else { return }
    Unmanaged<BrokerLoop>.fromOpaque(user).takeUnretainedValue().tick()
}
