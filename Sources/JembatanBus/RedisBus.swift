import Foundation
import Logging

/// A ``ClusterBus`` on Redis pub/sub through hiredis.
///
/// Two connections: one for `PUBLISH`, shared by all threads under a lock, and one for
/// subscriptions, owned by the bus thread (`jembatan-bus`) that `start()` creates. That thread
/// waits in `poll` on the Redis socket and on a wake-up pipe, delivers messages to the
/// `onMessage` handler, and sends SUBSCRIBE/UNSUBSCRIBE when callers change the channel set.
/// When Redis goes away, health turns ``BusHealth/down``, publishes return `false`, and the
/// thread reconnects with capped backoff, subscribes to every current channel again, turns
/// health ``BusHealth/up`` and calls the `onReconnect` handler.
///
/// Logs carry error codes, counts and sizes only, never channel payloads.
public final class RedisBus: ClusterBus {
    private let configuration: RedisBusConfiguration
    private let logger: Logger
    private let state = SubscriberState()
    private let wake = WakePipe()
    private let publisher: RedisPublisher
    private let finished = DispatchSemaphore(value: 0)

    /// A bus for the Redis described by `configuration`; nothing connects before `start()`.
    public init(configuration: RedisBusConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        publisher = RedisPublisher(configuration: configuration, logger: logger)
    }

    /// Starts the bus thread, which connects and keeps reconnecting until `stop()`. Set the
    /// handlers first so no message or reconnection is missed. Calling it again does nothing.
    ///
    /// It sets SIGPIPE to be ignored for the whole process: hiredis 0.14 writes with `write(2)`,
    /// and a write to a Redis that just died would otherwise kill the broker instead of
    /// returning `EPIPE` (servers commonly ignore SIGPIPE anyway).
    public func start() {
        guard state.begin() else { return }
        signal(SIGPIPE, SIG_IGN)
        let (state, wake, configuration, logger, finished) = (state, wake, configuration, logger, finished)
        let thread = Thread {
            SubscriberLoop(state: state, wake: wake, configuration: configuration, logger: logger).run()
            finished.signal()
        }
        thread.name = "jembatan-bus"
        thread.start()
    }

    /// Ends the bus thread and closes both connections; returns once the thread has ended.
    /// Publishes return `false` from then on. Must not be called from a handler (it would wait
    /// for itself).
    public func stop() {
        if state.requestStop() {
            wake.wake()
            finished.wait()
        }
        publisher.close()
    }

    public func publish(_ payload: [UInt8], to channel: BusChannel) -> Bool {
        publisher.publish(payload, to: channel)
    }

    public func subscribe(_ channel: BusChannel) {
        if state.setWanted(channel, true) { wake.wake() }
    }

    public func unsubscribe(_ channel: BusChannel) {
        if state.setWanted(channel, false) { wake.wake() }
    }

    public func onReconnect(_ handler: @escaping @Sendable () -> Void) {
        state.setReconnectHandler(handler)
    }

    public var health: BusHealth { state.health }

    public func onMessage(_ handler: @escaping @Sendable (BusChannel, [UInt8]) -> Void) {
        state.setMessageHandler(handler)
    }
}
