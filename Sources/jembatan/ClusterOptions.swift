import ArgumentParser
import Foundation
import JembatanBus
import JembatanCore
import JembatanPostgres
import JembatanServer
import Logging

/// `serve --cluster`: several broker processes on one PostgreSQL (SCALEOUT.md).
struct ClusterOptions: ParsableArguments {
    @Flag(help: "Cluster mode: keep everything in PostgreSQL (--postgres) instead of the SQLite file, as node --node-id.")
    var cluster = false

    @Option(help: "Cluster mode: PostgreSQL URL, postgres://user[:password]@host[:port]/database.")
    var postgres: String?

    @Option(help: "Cluster mode: this node's id, unique in the cluster.")
    var nodeID: String?

    @Option(help: "Cluster mode: seconds a node's lease lasts without renewal; a standby takes over after it.")
    var leaseSeconds = 10

    @Option(
        help: ArgumentHelp(
            "Cluster mode: Redis as host:port (port 6379 if left out), to wake the other nodes.",
            discussion: "Optional: without it, standbys notice a released lease by polling every second."))
    var redis: String?

    @Flag(
        help: ArgumentHelp(
            "Cluster mode: every node serves at once (active-active) instead of one serving and the others waiting.",
            discussion: "Nodes share tickets, sessions and who is connected through PostgreSQL; --redis wakes them after each change."))
    var active = false

    func validate() throws {
        guard cluster else {
            if postgres != nil || nodeID != nil || redis != nil || active {
                throw ValidationError("--postgres, --node-id, --redis and --active need --cluster")
            }
            return
        }
        if let redis, Self.redisAddress(redis) == nil { throw ValidationError("--redis: expected host:port, e.g. 127.0.0.1:6379") }
        guard let postgres else { throw ValidationError("--cluster needs --postgres") }
        do { _ = try PostgresSettings(url: postgres) } catch { throw ValidationError("--postgres: \(error)") }
        guard let nodeID, !nodeID.isEmpty, nodeID.count <= 64 else {
            throw ValidationError("--cluster needs --node-id (1 to 64 characters)")
        }
        guard (2...600).contains(leaseSeconds) else { throw ValidationError("--lease-seconds must be 2...600") }
    }

    /// Waits for the lease (as a standby while another node serves), then serves on PostgreSQL
    /// until stopped or until the lease is lost. Losing it ends the process with 75 (EX_TEMPFAIL)
    /// so a supervisor restarts it, as a standby.
    func serve(_ configuration: ServerConfiguration, logger: Logger, started: (BrokerServer) -> Void) throws {
        if active { return try serveActive(configuration, logger: logger, started: started) }
        let settings = try PostgresSettings(url: postgres ?? "")
        let node = nodeID ?? ""
        let lease = try BrokerLease(node: node, seconds: leaseSeconds, settings: settings, logger: logger)
        FileHandle.standardOutput.write(Data("jembatan node \(node) waiting for the lease\n".utf8))
        let bus = redis.flatMap(Self.redisAddress).map { LeaseWakeups(bus: RedisBus(configuration: $0, logger: logger)) }
        _ = lease.acquire(nudge: bus?.nudge)
        bus?.stopListening()
        let serving = ServingNode()
        let stores = try Self.stores(settings, fencedBy: lease, serving: serving, logger: logger)
        let server = try BrokerServer.start(configuration, stores: stores, handleSignals: true, logger: logger)
        serving.attach(server)
        lease.keepRenewing { serving.leaseLost() }
        started(server)
        server.wait()
        defer { bus?.stop() }
        if serving.lost { throw ExitCode(75) }
        lease.release()
        bus?.announceRelease()
    }

    /// Active-active: registers this node (a new epoch) and serves at once, alongside the
    /// others. Losing its row (a pause past the lease, PostgreSQL unreachable for a whole
    /// lease) ends the process with 75, as in active/standby.
    func serveActive(_ configuration: ServerConfiguration, logger: Logger, started: (BrokerServer) -> Void) throws {
        let settings = try PostgresSettings(url: postgres ?? "")
        let registration = try BrokerLease(node: nodeID ?? "", seconds: leaseSeconds, scope: .node, settings: settings, logger: logger)
        _ = registration.acquire()
        var configuration = configuration
        configuration.broker.clusterActive = true
        let serving = ServingNode()
        let stores = try Self.stores(settings, fencedBy: registration, serving: serving, logger: logger)
        let bus = redis.flatMap(Self.redisAddress).map { RedisBus(configuration: $0, logger: logger) }
        let server = try BrokerServer.start(configuration, stores: stores, bus: bus, handleSignals: true, logger: logger)
        // Started after the server set its handlers, so no wake-up is missed.
        bus?.start()
        serving.attach(server)
        registration.keepRenewing { serving.leaseLost() }
        started(server)
        server.wait()
        bus?.stop()
        if serving.lost { throw ExitCode(75) }
        registration.release()
    }

    /// The node's stores: every batch of the main one checks the lease (or node row) first,
    /// and one that finds it gone stops the server at once, even before renewal starts.
    private static func stores(
        _ settings: PostgresSettings, fencedBy lease: BrokerLease, serving: ServingNode, logger: Logger
    ) throws -> BrokerStores {
        var fence = lease.fence()
        let lost = fence.lost
        fence.lost = {
            lost()
            serving.leaseLost()
        }
        return BrokerStores(
            main: try PostgresStore(settings: settings, fence: fence, logger: logger),
            reports: try PostgresStore(settings: settings, logger: logger))
    }

    /// `host:port` or `host` (port 6379); nil when malformed.
    static func redisAddress(_ text: String) -> RedisBusConfiguration? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty else { return nil }
        let port = parts.count == 2 ? Int(parts[1]) : 6379
        guard let port, (1...65535).contains(port) else { return nil }
        return RedisBusConfiguration(host: String(parts[0]), port: port)
    }
}

/// The server of a node holding the lease, stopped when the lease is lost.
private final class ServingNode: @unchecked Sendable {
    // Safe: both properties only under `lock`.
    private let lock = NSLock()
    private var server: BrokerServer?
    private var wasLost = false

    var lost: Bool {
        lock.lock()
        defer { lock.unlock() }
        return wasLost
    }

    func attach(_ server: BrokerServer) {
        lock.lock()
        self.server = server
        let stopNow = wasLost
        lock.unlock()
        if stopNow { server.stop() }
    }

    func leaseLost() {
        lock.lock()
        wasLost = true
        let server = self.server
        lock.unlock()
        server?.stop()
    }
}
