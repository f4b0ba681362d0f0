import CHiredis
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
            switch attempt(command) {
            case .published: return true
            case .refused, .unavailable: return false
            case .closedByServer:
                // A kept connection that Redis closed (it restarted): one retry on a fresh
                // one, past the backoff. Should the first PUBLISH have gone out after all,
                // receivers drop the duplicate by seq. A timeout is not retried: a hung Redis
                // would only make the caller wait twice.
                nextAttempt = clock.now
                return attempt(command) == .published
            }
        }
    }

    /// Closes the connection for good: later publishes return `false` without connecting.
    func close() {
        lock.withLock {
            isClosed = true
            connection = nil
        }
    }

    private enum Outcome {
        case published, refused, unavailable, closedByServer
    }

    /// One PUBLISH on the kept connection, or a new one when the backoff allows.
    private func attempt(_ command: [[UInt8]]) -> Outcome {
        guard let connection = connected() else { return .unavailable }
        guard let reply = connection.command(command) else {
            let error = connection.error
            markDown(error)
            self.connection = nil
            // Connecting proves little (a frozen Redis still accepts connections from its
            // backlog): only an answered PUBLISH resets the backoff.
            nextAttempt = clock.now + backoff.next()
            return error?.code == REDIS_ERR_EOF ? .closedByServer : .unavailable
        }
        guard case .integer = reply else {
            logger.warning("bus: publish refused", metadata: ["bus.payload.bytes": "\(command[2].count)"])
            return .refused
        }
        backoff.reset()
        if isDown { logger.info("bus: publisher reaches redis again") }
        isDown = false
        return .published
    }

    private func connected() -> RedisConnection? {
        if let connection { return connection }
        guard clock.now >= nextAttempt else { return nil }
        switch RedisConnection.connect(to: configuration) {
        case .success(let fresh):
            connection = fresh
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
