import CWebSockets
import Foundation
import JembatanBus
import JembatanCore
import JembatanStore
import JembatanText
import Logging

/// A running broker: the store thread, the libwebsockets service thread and the core.
/// `start` returns once it listens; `wait` returns after a clean stop (SIGTERM, SIGINT or
/// `stop()`), when every committed batch is flushed.
public final class BrokerServer: @unchecked Sendable {
    // Safe: `loop` is handed to the service thread at start and otherwise only used through
    // its thread-safe `requestStop`; `done`/`boundPort` are guarded by `condition`.
    private let loop: BrokerLoop
    private let worker: StoreWorker
    /// Figures for supervisors, read on their own thread and connection.
    private let reports: StoreWorker
    private let condition = Condition()
    private var ready = false
    private var finished = false
    private var boundPort: Int32 = -1
    public let tokens: HS256Tokens

    /// The port it listens on (the real one when started with port 0).
    public var port: Int { Int(boundPort) }
    /// The PROXY protocol port, when configured (the real one when asked for port 0).
    public var proxyProtocolPort: Int? { loop.proxied.port }

    /// - Parameters:
    ///   - stores: where to keep everything; nil: the embedded SQLite file in the data folder.
    ///     Cluster mode passes PostgreSQL stores here.
    ///   - bus: cluster mode's bus, when other nodes serve the same sessions: commits are
    ///     announced on it, and what the other nodes announce is read from the store and
    ///     delivered here. The caller starts and stops it.
    public static func start(
        _ configuration: ServerConfiguration, stores: BrokerStores? = nil, bus: (any ClusterBus)? = nil, handleSignals: Bool = false,
        logger: Logger = Logger(label: "jembatan")
    ) throws -> BrokerServer {
        guard let localesPath = LocalesLocator.find(configured: configuration.localesDirectory) else {
            throw ServerError("no Locales folder found; pass --locales or set JEMBATAN_LOCALES")
        }
        let catalog = try TemplateCatalog(
            directory: URL(fileURLWithPath: localesPath), defaultLocale: configuration.defaultLocale, digits: configuration.digits,
            timeZone: configuration.timeZone)
        let localizer = Localizer(catalog: catalog, timeZone: configuration.timeZone)
        var configuration = configuration
        let manifest = URL(fileURLWithPath: localesPath).appendingPathComponent("manifest/templates.json")
        if FileManager.default.fileExists(atPath: manifest.path) {
            do {
                configuration.broker.templates = try ReplyTemplates.load(manifest: Data(contentsOf: manifest))
            } catch {
                throw ServerError("\(manifest.path): \(error)")
            }
        }
        let secret = try SecretFile.resolve(explicit: configuration.jwtSecret, dataDirectory: configuration.dataDirectory)
        let publicKey = try configuration.jwtPublicKeyPEM.map { pem in
            do { return try PublicKeyVerifier(pem: pem) } catch { throw ServerError("--jwt-public-key: \(error)") }
        }
        let tokens = HS256Tokens(secret: secret, publicKey: publicKey, skew: configuration.jwtSkewSeconds)
        let stores = try stores ?? BrokerStores(sqlite: configuration)
        let recovered = try stores.main.recover()
        let broker = Broker(configuration: configuration.broker, localizer: localizer, verifier: tokens, recovered: recovered)
        let metrics = BrokerMetrics()
        let worker = StoreWorker(store: stores.main, metrics: metrics)
        let reports = StoreWorker(store: stores.reports, maxBatch: 1)
        let loop = BrokerLoop(
            configuration: configuration, broker: broker, worker: worker, reports: reports, metrics: metrics, tokens: tokens,
            localizer: localizer, logger: logger)
        loop.cluster = bus.map { bus in
            ClusterWakeups(bus: bus) { [loop] in
                if let context = loop.context { lws_cancel_service(context) }
            }
        }
        if configuration.broker.clusterActive { loop.cluster?.followChanges() }
        let server = BrokerServer(loop: loop, worker: worker, reports: reports, tokens: tokens)
        logger.info(
            "recovered", metadata: ["tickets": "\(recovered.queuedTickets.count)", "sessions": "\(recovered.activeSessions.count)"])
        try server.run(handleSignals: handleSignals)
        return server
    }

    private init(loop: BrokerLoop, worker: StoreWorker, reports: StoreWorker, tokens: HS256Tokens) {
        self.loop = loop
        self.worker = worker
        self.reports = reports
        self.tokens = tokens
    }

    private func run(handleSignals: Bool) throws {
        let loop = self.loop
        worker.start { [loop] in
            if let context = loop.context { lws_cancel_service(context) }
        }
        reports.start { [loop] in
            if let context = loop.context { lws_cancel_service(context) }
        }
        let thread = Thread { [self] in serve(handleSignals: handleSignals) }
        thread.name = "jembatan-lws"
        thread.start()
        condition.lock()
        while !ready { condition.wait() }
        let port = boundPort
        condition.unlock()
        if port < 0 {
            wait()
            throw ServerError("cannot listen on \(loop.configuration.host):\(loop.configuration.port)")
        }
    }

    /// The service thread: create the context here, run the libuv loop until it stops.
    private func serve(handleSignals: Bool) {
        let configuration = loop.configuration
        lws_set_log_level(Int32(LLL_ERR | LLL_WARN), nil)
        let binding = ListenAddress(host: configuration.host)
        let user = Unmanaged.passUnretained(loop).toOpaque()
        guard let uvLoop = cws_loop_new() else {
            finishStart(port: -1)
            return finishStop()
        }
        loop.uvLoop = uvLoop
        if handleSignals {
            BrokerLoop.signalTarget = loop
            _ = cws_loop_watch_signals(uvLoop, brokerSignal)
        }
        let context = binding.interface.withCString { iface in
            withOptionalCString(configuration.tlsCertPath) { cert in
                withOptionalCString(configuration.tlsKeyPath) { key in
                    cws_server_create(
                        uvLoop, iface, Int32(configuration.port), binding.ipv6 ? 1 : 0, brokerCallback, user, 8, 4096, cert, key)
                }
            }
        }
        loop.context = context
        let port = context != nil && loop.startProxyListener() ? cws_server_port(context!) : -1
        finishStart(port: port)
        if port >= 0 {
            configuration.systemd?.notify("READY=1\nSTATUS=listening on port \(port)")
            loop.startRetention()
            loop.tick()
            // Runs until the shutdown stops the loop (BrokerLoop.shutdownCheck).
            cws_loop_run(uvLoop)
        }
        finishStop()
    }

    private func finishStart(port: Int32) {
        condition.lock()
        boundPort = port
        ready = true
        condition.signal()
        condition.unlock()
    }

    private func finishStop() {
        loop.cluster?.stop()
        worker.stopAndFlush()
        reports.stopAndFlush()
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    /// Asks the server to stop: clients get 1001, the store is flushed.
    public func stop() { loop.requestStop() }

    /// Blocks until the server has stopped and flushed the store.
    public func wait() {
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
    }
}

/// The stores a server works with: `main` takes every command from the service thread;
/// `reports` answers supervisors' figures on its own thread and connection, so a long report
/// never delays a message.
public struct BrokerStores {
    public var main: any BrokerStore
    public var reports: any BrokerStore

    public init(main: any BrokerStore, reports: any BrokerStore) {
        self.main = main
        self.reports = reports
    }

    /// The embedded default: the SQLite file in the data folder.
    init(sqlite configuration: ServerConfiguration) throws {
        self.init(
            main: try SQLiteStore(
                path: configuration.databasePath, synchronousFull: configuration.synchronousFull, backgroundCheckpoints: true),
            reports: try SQLiteReports(path: configuration.databasePath))
    }
}

/// `body` with a C string for `text`, or NULL when there is none.
private func withOptionalCString<T>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> T) -> T {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}
