/// Capped exponential backoff between reconnection attempts: `initial`, doubling, at most
/// `maximum`; `reset()` after a success.
struct Backoff: Sendable {
    let initial: Duration
    let maximum: Duration
    private var current: Duration?

    init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = max(initial, maximum)
    }

    /// The delay before the next attempt; each call doubles the following one.
    mutating func next() -> Duration {
        let delay = current ?? initial
        current = min(delay * 2, maximum)
        return delay
    }

    mutating func reset() { current = nil }
}
