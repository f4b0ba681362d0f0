import CHiredis
import Foundation
import Logging

/// The bus thread's body: owns the subscriber connection, keeps Redis' subscriptions equal to
/// the wanted channels, delivers messages, and reconnects with backoff when Redis goes away.
///
/// It blocks in `poll` on two descriptors: the Redis socket and a ``WakePipe``. Other threads
/// change the wanted set and write to the pipe; the loop then sends the difference as
/// SUBSCRIBE/UNSUBSCRIBE. Only this thread touches the connection, so hiredis needs no lock,
/// and stop or a new channel is noticed at once rather than after a read timeout.
final class SubscriberLoop {
    private let state: SubscriberState
    private let wake: WakePipe
    private let configuration: RedisBusConfiguration
    private let logger: Logger

    /// Channels Redis was asked for on the current connection.
    private var subscribed: Set<BusChannel> = []
    /// Whether the PING sent after the first SUBSCRIBE of this connection has come back: every
    /// channel wanted at connect time is then subscribed.
    private var synced = false
    private var awaitingPong = false
    /// Redis was unreachable or lost since the last time the bus was up.
    private var hadFailure = false
    /// Reset only once a connection is subscribed, not merely connected.
    private var backoff: Backoff

    /// A long channel list goes out in several SUBSCRIBEs so no single command is huge.
    private static let channelsPerCommand = 1000

    init(state: SubscriberState, wake: WakePipe, configuration: RedisBusConfiguration, logger: Logger) {
        self.state = state
        self.wake = wake
        self.configuration = configuration
        self.logger = logger
        backoff = Backoff(initial: configuration.initialBackoff, maximum: configuration.maximumBackoff)
    }

    func run() {
        // Failures are logged once per outage, not once per attempt; an outage after the bus
        // was up always starts with "lost redis".
        var loggedFailure = false
        while !state.isStopping {
            switch RedisConnection.connect(to: configuration) {
            case .failure(let error):
                hadFailure = true
                if !loggedFailure {
                    logger.warning("bus: cannot reach redis, retrying", metadata: ["bus.error": "\(error)"])
                    loggedFailure = true
                }
                sleep(backoff.next())
            case .success(let connection):
                let error = serve(connection)
                connection.close()
                state.health = .down
                guard !state.isStopping else { break }
                hadFailure = true
                let reason = ["bus.error": Logger.MetadataValue.string(error?.description ?? "unknown")]
                if synced {
                    logger.warning("bus: lost redis, reconnecting", metadata: reason)
                    loggedFailure = true
                } else {
                    // Connected but never subscribed (a frozen Redis still accepts connections,
                    // one that is full closes them): as a failed attempt, with backoff.
                    if !loggedFailure { logger.warning("bus: redis does not answer, retrying", metadata: reason) }
                    loggedFailure = true
                    sleep(backoff.next())
                }
            }
        }
    }

    /// Sleeps the backoff delay; wake-ups for channel changes do not cut it short, stop does.
    private func sleep(_ delay: Duration) {
        let clock = ContinuousClock()
        let deadline = clock.now + delay
        while !state.isStopping, clock.now < deadline {
            _ = wake.sleep(upTo: deadline - clock.now)
        }
    }

    /// Runs one connection until it fails (returns why) or the bus stops (returns `nil`).
    private func serve(_ connection: RedisConnection) -> RedisConnectionError? {
        subscribed = []
        synced = false
        awaitingPong = true  // the PING below; a frozen Redis accepts connections but never answers
        guard reconcile(connection), connection.append([Array("PING".utf8)]), connection.flush() else {
            return connection.error
        }
        let idle = Int32(configuration.idlePing.milliseconds)
        while !state.isStopping {
            // Deliver every reply already read before waiting for more.
            replies: while true {
                switch connection.nextReply() {
                case .failed: return connection.error
                case .none: break replies
                case .reply(let value): handle(value)
                }
            }
            var descriptors = [
                pollfd(fd: connection.fileDescriptor, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wake.readEnd, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&descriptors, 2, idle)
            if ready < 0 {
                if errno == EINTR { continue }
                return RedisConnectionError(code: REDIS_ERR_IO, reason: "poll failed, errno \(errno)")
            }
            if ready == 0 {
                // Silence: a peer that vanished sends no reset, so ask; a second silence ends it.
                if awaitingPong { return RedisConnectionError(code: REDIS_ERR_IO, reason: "no answer to ping") }
                guard connection.append([Array("PING".utf8)]), connection.flush() else { return connection.error }
                awaitingPong = true
                continue
            }
            if descriptors[1].revents != 0 {
                wake.drain()
                guard reconcile(connection), connection.flush() else { return connection.error }
            }
            if descriptors[0].revents != 0 {
                guard connection.receive() else { return connection.error }
                awaitingPong = false
            }
        }
        return nil
    }

    /// Queues SUBSCRIBE for wanted channels not yet asked for and UNSUBSCRIBE for the others.
    private func reconcile(_ connection: RedisConnection) -> Bool {
        let wanted = state.channels
        let added = wanted.subtracting(subscribed)
        let removed = subscribed.subtracting(wanted)
        subscribed = wanted
        return send("SUBSCRIBE", added, on: connection) && send("UNSUBSCRIBE", removed, on: connection)
    }

    private func send(_ verb: String, _ channels: Set<BusChannel>, on connection: RedisConnection) -> Bool {
        let names = channels.map { Array($0.rawValue.utf8) }
        var start = 0
        while start < names.count {
            let end = min(start + Self.channelsPerCommand, names.count)
            guard connection.append([Array(verb.utf8)] + names[start..<end]) else { return false }
            start = end
        }
        return true
    }

    private func handle(_ value: RedisValue) {
        switch value {
        case .status("PONG"):
            pong()  // outside subscribed mode (no channel yet)
        case .array(let parts):
            guard case .bytes(let kind)? = parts.first else { return }
            switch String(decoding: kind, as: UTF8.self) {
            case "message":
                guard parts.count == 3, case .bytes(let name) = parts[1], case .bytes(let payload) = parts[2] else { return }
                let channel = BusChannel(rawValue: String(decoding: name, as: UTF8.self))
                state.messageHandler(for: channel)?(channel, payload)
            case "pong":
                pong()
            default:
                break  // subscribe/unsubscribe confirmations
            }
        case .error:
            logger.warning("bus: redis answered the subscriber with an error")
        default:
            break
        }
    }

    private func pong() {
        awaitingPong = false
        guard !synced else { return }
        synced = true
        backoff.reset()
        state.health = .up
        logger.info("bus: subscribed", metadata: ["bus.channels": "\(subscribed.count)"])
        if hadFailure {
            hadFailure = false
            state.onReconnect?()
        }
    }
}
