import Foundation
import JembatanCore

/// The store thread: takes commands from the service thread, commits whatever has arrived
/// meanwhile in one transaction (group commit), and hands the results back through a
/// mailbox, then wakes the service thread (`lws_cancel_service`).
final class StoreWorker: @unchecked Sendable {
    // Safe: `store` is used only on the worker thread after start; `jobs`, `completions`
    // and `stopping` only under `condition`'s mutex.
    enum Origin: Sendable {
        case broker(StoreRequestID)
        case http(UInt64)
        /// Housekeeping (retention) whose result is only logged.
        case maintenance
    }

    struct Job: Sendable {
        var origin: Origin
        var command: StoreCommand
    }

    struct Completion: Sendable {
        var origin: Origin
        var result: StoreResult
    }

    private let store: any BrokerStore
    private let condition = Condition()
    private var jobs: [Job] = []
    private var completions: [Completion] = []
    private var stopping = false
    private var finished = false
    private let maxBatch: Int
    private var wake: @Sendable () -> Void = {}

    /// Batch sizes and commit times go to `metrics` when given.
    private let metrics: BrokerMetrics?

    init(store: any BrokerStore, maxBatch: Int = 512, metrics: BrokerMetrics? = nil) {
        self.store = store
        self.maxBatch = maxBatch
        self.metrics = metrics
    }

    /// Starts the thread. `wake` is called after each batch's results are in the mailbox.
    func start(wake: @escaping @Sendable () -> Void) {
        self.wake = wake
        let thread = Thread { [self] in run() }
        thread.name = "jembatan-store"
        thread.start()
    }

    func submit(_ newJobs: [Job]) {
        guard !newJobs.isEmpty else { return }
        condition.lock()
        jobs += newJobs
        condition.signal()
        condition.unlock()
    }

    /// Results of committed batches, oldest first.
    func takeCompletions() -> [Completion] {
        condition.lock()
        defer { condition.unlock() }
        let taken = completions
        completions = []
        return taken
    }

    /// Commits what is queued, then ends the thread; returns when it has.
    func stopAndFlush() {
        condition.lock()
        stopping = true
        condition.signal()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty && stopping {
                finished = true
                condition.signal()
                condition.unlock()
                return
            }
            // Everything queued is taken at once and committed `maxBatch` at a time: taking
            // a prefix moved every job behind it forward, thousands under load.
            let queued = jobs
            jobs = []
            condition.unlock()
            var start = 0
            while start < queued.count {
                let end = min(start + maxBatch, queued.count)
                commit(queued[start..<end])
                start = end
            }
        }
    }

    private func commit(_ batch: ArraySlice<Job>) {
        let started = DispatchTime.now()
        let results = store.perform(batch.map(\.command))
        if let metrics {
            metrics.batchSize.record(batch.count)
            metrics.commitLatency.recordInterval(since: started)
        }
        let done = zip(batch, results).map { Completion(origin: $0.origin, result: $1) }
        condition.lock()
        completions += done
        condition.unlock()
        wake()
    }
}
