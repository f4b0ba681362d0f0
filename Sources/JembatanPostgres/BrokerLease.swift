import Foundation
import JembatanStore
import Logging

/// Which node of a cluster serves: one row in PostgreSQL (`broker_lease`), held by renewing it
/// before it expires and taken over only once it has. Each holder gets a higher epoch; the
/// store checks node and epoch under a share lock at the start of every batch (``LeaseFence``),
/// so a node paused past its lease cannot write after another took over, even before it
/// notices. Times are PostgreSQL's `now()`, never a node's clock (SCALEOUT.md).
///
/// Active/standby (scope `.lease`): one node serves and the others wait as warm standbys;
/// they take over within a lease of the holder's death, recover the queues and sessions from
/// PostgreSQL, and clients reconnect to them without losing anything.
///
/// Active-active (scope `.node`): every node holds a row of its own in `broker_nodes`, taken
/// at once with a higher epoch; what it records about its connections (presence) counts only
/// while that row lives, and a node that comes back from a pause finds its epoch gone.
public final class BrokerLease: @unchecked Sendable {
    // Safe: `link` is used by the thread that acquires, then only by the renewal thread;
    // `stopped` and `lostHandler` only under `lock`.
    public let node: String
    public let seconds: Int
    public let scope: LeaseFence.Scope
    private let link: PostgresLink
    private let logger: Logger
    private let lock = NSLock()
    private var stopped = false
    private var lostHandler: (@Sendable () -> Void)?
    public internal(set) var epoch = 0

    /// - Parameters:
    ///   - node: this node's id (`--node-id`), unique in the cluster.
    ///   - seconds: how long the lease lasts without renewal; renewed every third of it.
    public init(node: String, seconds: Int = 10, scope: LeaseFence.Scope = .lease, settings: PostgresSettings, logger: Logger) throws {
        self.node = node
        self.seconds = seconds
        self.scope = scope
        self.logger = logger
        link = PostgresLink(settings: settings, logger: logger)
        try PostgresSchema.migrate(link)
    }

    /// Blocks until this node holds the lease (at once when nobody holds a live one), trying
    /// every `pollSeconds` and whenever `nudge` is signalled (a holder released the lease and
    /// said so on the bus); returns the epoch it holds it with.
    public func acquire(nudge: DispatchSemaphore? = nil, pollSeconds: Double = 1) -> Int {
        var waiting = false
        while true {
            do {
                if let epoch = try tryAcquire() {
                    self.epoch = epoch
                    logger.info("lease acquired", metadata: ["node": "\(node)", "epoch": "\(epoch)"])
                    return epoch
                }
                if !waiting { logger.info("standby: another node holds the lease", metadata: ["node": "\(node)"]) }
                waiting = true
            } catch {
                logger.warning("lease: postgres unreachable", metadata: ["error": "\(PostgresFailure.describe(error))"])
            }
            if let nudge {
                _ = nudge.wait(timeout: .now() + pollSeconds)
            } else {
                Thread.sleep(forTimeInterval: pollSeconds)
            }
        }
    }

    /// Takes the lease if it is free or expired; a node row always (a new epoch, and the
    /// presence recorded under the old one is dropped).
    func tryAcquire() throws -> Int? {
        if scope == .node {
            let epoch = try link.query(
                """
                INSERT INTO broker_nodes (node_id, epoch, expires_at) VALUES ($1, 1, now() + make_interval(secs => $2))
                ON CONFLICT (node_id) DO UPDATE SET epoch = broker_nodes.epoch + 1, expires_at = excluded.expires_at
                RETURNING epoch
                """, [.text(node), .int(seconds)]
            ).first?.requiredInt("epoch")
            try link.execute("DELETE FROM cluster_presence WHERE node_id = $1", [.text(node)])
            return epoch
        }
        return try link.query(
            """
            INSERT INTO broker_lease (singleton, node_id, epoch, expires_at) VALUES (TRUE, $1, 1, now() + make_interval(secs => $2))
            ON CONFLICT (singleton) DO UPDATE SET node_id = excluded.node_id, epoch = broker_lease.epoch + 1,
                expires_at = excluded.expires_at
            WHERE broker_lease.expires_at < now()
            RETURNING epoch
            """, [.text(node), .int(seconds)]
        ).first?.requiredInt("epoch")
    }

    /// The check each store batch makes; `lost` runs once when a batch finds the lease gone.
    public func fence() -> LeaseFence {
        LeaseFence(node: node, epoch: epoch, scope: scope) { [weak self] in self?.lose(reason: "a batch found the lease gone") }
    }

    /// Renews the lease on a thread of its own every third of its length. When a renewal
    /// finds it taken, or no renewal succeeded for a whole lease (PostgreSQL unreachable, or
    /// this process was paused), `lost` runs once and renewing stops: the node must stop
    /// serving, since another may already have taken over.
    public func keepRenewing(lost: @escaping @Sendable () -> Void) {
        lock.lock()
        lostHandler = lost
        lock.unlock()
        let thread = Thread { [self] in renewLoop() }
        thread.name = "jembatan-lease"
        thread.start()
    }

    /// Stops renewing and gives the lease up, so a standby takes over at once (clean shutdown).
    public func release() {
        lock.lock()
        let wasStopped = stopped
        stopped = true
        lock.unlock()
        guard !wasStopped else { return }
        _ = try? link.execute(
            "UPDATE \(table) SET expires_at = now() WHERE node_id = $1 AND epoch = $2", [.text(node), .int(epoch)])
        if scope == .node { _ = try? link.execute("DELETE FROM cluster_presence WHERE node_id = $1", [.text(node)]) }
    }

    private func renewLoop() {
        var lastRenewal = DispatchTime.now()
        let interval = Double(seconds) / 3
        while true {
            Thread.sleep(forTimeInterval: interval)
            lock.lock()
            let done = stopped
            lock.unlock()
            if done { return }
            do {
                let renewed = try link.execute(
                    "UPDATE \(table) SET expires_at = now() + make_interval(secs => $3) WHERE node_id = $1 AND epoch = $2 AND expires_at > now()",
                    [.text(node), .int(epoch), .int(seconds)])
                guard renewed > 0 else { return lose(reason: "the lease expired or was taken over") }
                lastRenewal = DispatchTime.now()
            } catch {
                logger.warning("lease renewal failed", metadata: ["error": "\(PostgresFailure.describe(error))"])
            }
            // Measured on this process's monotonic clock: a pause counts, as it should.
            let silent = Double(DispatchTime.now().uptimeNanoseconds - lastRenewal.uptimeNanoseconds) / 1e9
            if silent >= Double(seconds) { return lose(reason: "no renewal for a whole lease") }
        }
    }

    private var table: String { scope == .lease ? "broker_lease" : "broker_nodes" }

    private func lose(reason: String) {
        lock.lock()
        let handler = stopped ? nil : lostHandler
        stopped = true
        lock.unlock()
        guard let handler else { return }
        logger.error("lease lost: this node stops serving", metadata: ["node": "\(node)", "reason": "\(reason)"])
        handler()
    }
}
