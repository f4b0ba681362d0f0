import Foundation
import GRDB

/// Copies the write-ahead log into the database file on a thread of its own, so the store
/// thread does not stop for it.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses 1,000 WAL pages: under a
/// steady 2,500 messages a second that was a 7–9 ms stall every ~50 ms, felt by every message
/// waiting behind it (README, "Load"). Here a second connection copies what is in the log
/// (PASSIVE: it never blocks the writer) every `interval`. A log that keeps growing can only
/// start over once every page in it is copied while no write is under way, which a copier
/// racing the writer never sees; so once the log passes ``Policy/restartFrames``, the writer is asked
/// (``restart``) to copy the few pages written since, between two batches, and its next
/// transaction starts the log from the beginning. The copier stands aside meanwhile: its
/// passes take the locks the restart needs, and on a loaded machine the two kept missing
/// each other while the log grew (a test saw 12 MiB where 1.5 was expected).
final class WALCheckpointer: @unchecked Sendable {
    // Safe: `stopping` and `restartState` only under `condition`; `connection` only on the
    // checkpoint thread.
    private let connection: DatabaseQueue
    private let condition = NSCondition()
    private var stopping = false
    private var restartState = Restart.idle
    private let policy: Policy

    /// How often the log is copied, and how long it may grow (in 4 KiB pages) before it starts
    /// over: 16,000 pages is 64 MiB, under a second of the heaviest traffic measured here.
    /// Every 100 ms, the pages written over and over (the sessions', the indexes' upper
    /// levels) were copied five times as often: 7 % of a core instead of 3 % in (i).
    struct Policy: Sendable {
        var interval: TimeInterval = 0.5
        var restartFrames = 16_000
    }

    init(path: String, configuration: Configuration, policy: Policy) throws {
        connection = try DatabaseQueue(path: path, configuration: configuration)
        self.policy = policy
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "jembatan-checkpoint"
        thread.start()
    }

    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    /// Where a restart of the log stands: asked for by the copier, then the writer copies the
    /// rest (`copied`), then the writer's next transaction restarts the log (`idle` again).
    enum Restart {
        case idle, requested, copied
    }

    /// The writer's view and its moves (between two batches, on the store thread).
    var restart: Restart {
        get {
            condition.lock()
            defer { condition.unlock() }
            return restartState
        }
        set {
            condition.lock()
            restartState = newValue
            condition.unlock()
        }
    }

    private func run() {
        while true {
            condition.lock()
            if !stopping { _ = condition.wait(until: Date(timeIntervalSinceNow: policy.interval)) }
            let stop = stopping
            let standAside = restartState != .idle
            condition.unlock()
            if stop { return }
            if standAside { continue }
            // Another checkpoint (the writer's) may be running: SQLITE_BUSY, try next time.
            guard let (logFrames, _) = try? connection.writeWithoutTransaction({ try $0.checkpoint(.passive) }) else { continue }
            if logFrames >= policy.restartFrames {
                condition.lock()
                if restartState == .idle { restartState = .requested }
                condition.unlock()
            }
        }
    }
}
