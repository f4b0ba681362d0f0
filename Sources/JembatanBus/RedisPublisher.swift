import Logging

/// The `PUBLISH` connection, shared by every thread under one lock. While Redis is away it
/// tries to connect at most once per backoff delay, so a publish returns `false` at once
/// instead of waiting out a connect timeout each time.
final class RedisPublisher: @unchecked Sendable {
    // Safe: `connection`, `backoff`, `nextAttempt`, `isDown` and `isClosed` are used only
    // under `lock`.
    private let lock = Lock()
    private let configuration: RedisBusConfiguration
    private let logger: Logger
    private let clock = ContinuousClock()
    private var connection: RedisConnection?
    private var backoff: Backoff
    private var nextAttempt: ContinuousClock.Instant
    private var isDown = false
    private var isClosed = false

    init(configuration: RedisBusConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        backoff = Backoff(initial: configuration.initialBackoff, maximum: configuration.maximumBackoff)
        nextAttempt = clock.now
    }

    func publish(_ payload: [UInt8], to channel: BusChannel) -> Bool {
        let command = [Array("PUBLISH".utf8), Array(channel.rawValue.utf8), payload]
        return lock.withLock {
            guard !isClosed else { return false }
            // A kept connection may have died quietly (Redis restarted): one retry on a fresh
            // one. Should the first PUBLISH have gone out after all, receivers drop the
            // duplicate by seq.
            let reused = connection != nil
            if let reply = attempt(command) { return reply }
            return reused ? attempt(command) ?? false : false
        }
    }

    /// Closes the connection for good: later publishes return `false` without connecting.
    func close() {
        lock.withLock {
            isClosed = true
            connection = nil
        }
    }

    /// One PUBLISH; `nil` when the connection failed (or could not be made), `false` on an
    /// error reply.
    private func attempt(_ command: [[UInt8]]) -> Bool? {
        guard let connection = connected() else { return nil }
        guard let reply = connection.command(command) else {
            markDown(connection.error)
            self.connection = nil
            return nil
        }
        if case .integer = reply { return true }
        logger.warning("bus: publish refused", metadata: ["bus.payload.bytes": "\(command[2].count)"])
        return false
    }

    private func connected() -> RedisConnection? {
        if let connection { return connection }
        guard clock.now >= nextAttempt else { return nil }
        switch RedisConnection.connect(to: configuration) {
        case .success(let fresh):
            connection = fresh
            backoff.reset()
            if isDown { logger.info("bus: publisher connected again") }
            isDown = false
            return fresh
        case .failure(let error):
            nextAttempt = clock.now + backoff.next()
            markDown(error)
            return nil
        }
    }

    /// Logs the first failure of a streak only, so an outage does not flood the log.
    private func markDown(_ error: RedisConnectionError?) {
        guard !isDown else { return }
        isDown = true
        logger.warning("bus: publisher lost redis", metadata: ["bus.error": "\(error?.description ?? "unknown")"])
    }
}
