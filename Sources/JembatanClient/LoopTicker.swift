import Foundation

/// Calls a closure on a ``ClientLoop``'s service thread about every `interval`, for pacing
/// and deadlines in code that lives on that thread (delegates). A helper thread sleeps and
/// posts the call; while one call is still waiting to run, no other is posted, so a busy
/// loop sees fewer ticks rather than a growing backlog.
public final class LoopTicker: @unchecked Sendable {
    // Safe: `pending` and `stopped` are guarded by `lock`; `loop`, `interval` and `body` are
    // immutable.
    private let lock = ConditionLock()
    private var pending = false
    private var stopped = false
    private let loop: ClientLoop
    private let interval: Duration
    private let body: @Sendable () -> Void

    /// Starts ticking at once. `body` runs on `loop`'s service thread.
    public init(loop: ClientLoop, interval: Duration, body: @escaping @Sendable () -> Void) {
        self.loop = loop
        self.interval = interval
        self.body = body
        let thread = Thread { [self] in run() }
        thread.name = "jembatan-client-ticker"
        thread.start()
    }

    /// No call is posted after this returns (one already posted may still run).
    public func stop() {
        lock.withLock {
            stopped = true
            lock.broadcast()
        }
    }

    private func run() {
        while true {
            let post = lock.withLock { () -> Bool? in
                _ = lock.wait(untilNanoseconds: deadline(after: interval))
                if stopped { return nil }
                if pending { return false }
                pending = true
                return true
            }
            guard let post else { return }
            guard post else { continue }
            let posted = loop.execute { [self] in
                lock.withLock { pending = false }
                body()
            }
            if !posted { return }
        }
    }
}
