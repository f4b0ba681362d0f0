import Foundation

/// What callers and the bus thread share: the wanted channels, the handlers, health and the
/// stop request. Every access goes through `lock`; handlers are copied out and called outside it.
final class SubscriberState: @unchecked Sendable {
    // Safe: every stored property below is read and written only under `lock`.
    private let lock = Lock()
    private var wanted: Set<BusChannel> = []
    private var currentHealth = BusHealth.down
    private var messageHandler: (@Sendable (BusChannel, [UInt8]) -> Void)?
    private var reconnectHandler: (@Sendable () -> Void)?
    private var phase = Phase.idle

    enum Phase {
        case idle, running, stopping, stopped
    }

    /// Adds or removes a channel; returns whether the set changed.
    func setWanted(_ channel: BusChannel, _ isWanted: Bool) -> Bool {
        lock.withLock {
            isWanted ? wanted.insert(channel).inserted : wanted.remove(channel) != nil
        }
    }

    var channels: Set<BusChannel> { lock.withLock { wanted } }

    var health: BusHealth {
        get { lock.withLock { currentHealth } }
        set { lock.withLock { currentHealth = newValue } }
    }

    func setMessageHandler(_ handler: @escaping @Sendable (BusChannel, [UInt8]) -> Void) {
        lock.withLock { messageHandler = handler }
    }

    func setReconnectHandler(_ handler: @escaping @Sendable () -> Void) {
        lock.withLock { reconnectHandler = handler }
    }

    /// The message handler, only while `channel` is still wanted: a message that crossed an
    /// `unsubscribe` on the wire is dropped here.
    func messageHandler(for channel: BusChannel) -> (@Sendable (BusChannel, [UInt8]) -> Void)? {
        lock.withLock { wanted.contains(channel) ? messageHandler : nil }
    }

    var onReconnect: (@Sendable () -> Void)? { lock.withLock { reconnectHandler } }

    /// Moves from idle to running; `false` if the bus was already started or stopped.
    func begin() -> Bool {
        lock.withLock {
            guard phase == .idle else { return false }
            phase = .running
            return true
        }
    }

    /// Asks the thread to stop; returns whether there is a running thread to wait for.
    func requestStop() -> Bool {
        lock.withLock {
            switch phase {
            case .idle:
                phase = .stopped
                return false
            case .running:
                phase = .stopping
                return true
            case .stopping, .stopped:
                return false
            }
        }
    }

    var isStopping: Bool { lock.withLock { phase != .running } }
}
