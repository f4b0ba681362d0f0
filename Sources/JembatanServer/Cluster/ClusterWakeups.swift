import Foundation
import JembatanBus
import JembatanCore

/// The node's side of the cluster bus: after a commit it announces `(session, last seq)` on
/// the session's channel; it listens on the channels of the sessions its connections are in
/// and hands what it hears to the service thread. Nothing true travels here: a lost wake-up
/// costs latency, and the periodic check reads the store anyway (SCALEOUT.md).
///
/// Publishing happens on a thread of its own, because a hung bus may block a publish for a
/// second or two, and neither the service thread nor the store thread may wait for it.
final class ClusterWakeups: @unchecked Sendable {
    // Safe: `outgoing`, `incoming`, `reconnected` and `stopped` are guarded by `condition`;
    // `followed` is touched on the service thread only.
    private let bus: any ClusterBus
    private let condition = Condition()
    private var outgoing: [SessionID: Int] = [:]
    private var incoming: [SessionID: Int] = [:]
    /// Typing and read frames, to other nodes and from them, in order.
    private var relaysOut: [(SessionID, [UInt8])] = []
    private var relaysIn: [(SessionID, [UInt8])] = []
    private var reconnected = false
    /// Shared state (tickets, sessions, presence) changed: here, to announce; elsewhere, heard.
    private var changedHere = false
    private var changedElsewhere = false
    /// Tells this node's own change announcements apart from the others'.
    private let nonce = Array(UUID().uuidString.utf8)
    static let changes = BusChannel(rawValue: "cluster")
    static let maxQueuedRelays = 256
    private var stopped = false
    private var followed: Set<SessionID> = []

    /// Wakes the service thread when something was heard.
    init(bus: any ClusterBus, wake: @escaping @Sendable () -> Void) {
        self.bus = bus
        let nonce = nonce
        bus.onMessage { [weak self] channel, payload in
            guard let self else { return }
            if channel == Self.changes {
                guard payload != nonce else { return }
                condition.lock()
                changedElsewhere = true
                condition.unlock()
                return wake()
            }
            guard let session = Self.session(of: channel) else { return }
            // A relayed frame is "r", the sending node's nonce, then the JSON; a commit is the
            // seq in decimal. A node's own relays come back to it: dropped.
            if payload.first == UInt8(ascii: "r") {
                let frame = payload.dropFirst(1 + nonce.count)
                guard payload.count > 1 + nonce.count, !payload.dropFirst().starts(with: nonce) else { return }
                condition.lock()
                relaysIn.append((session, Array(frame)))
                condition.unlock()
                return wake()
            }
            guard let seq = Int(String(decoding: payload, as: UTF8.self)) else { return }
            condition.lock()
            incoming[session] = max(incoming[session] ?? 0, seq)
            condition.unlock()
            wake()
        }
        bus.onReconnect { [weak self] in
            guard let self else { return }
            condition.lock()
            reconnected = true
            condition.unlock()
            wake()
        }
        let thread = Thread { [self] in publishUntilStopped() }
        thread.name = "jembatan-wakeups"
        thread.start()
    }

    static func channel(_ session: SessionID) -> BusChannel { BusChannel(rawValue: "s:\(session.rawValue)") }

    static func session(of channel: BusChannel) -> SessionID? {
        channel.rawValue.hasPrefix("s:") ? SessionID(String(channel.rawValue.dropFirst(2))) : nil
    }

    /// Announces that `session` is committed up to `seq` (coalesced: only the highest goes out).
    func announce(_ session: SessionID, seq: Int) {
        condition.lock()
        outgoing[session] = max(outgoing[session] ?? 0, seq)
        condition.signal()
        condition.unlock()
    }

    /// Passes a typing or read frame to the other nodes (its own echo is dropped on arrival).
    /// While a hung bus holds the publisher, the oldest are dropped: a typing indicator
    /// seconds late is worth nothing, and the queue must not grow without bound.
    func relay(_ session: SessionID, frame: [UInt8]) {
        condition.lock()
        if relaysOut.count >= Self.maxQueuedRelays { relaysOut.removeFirst() }
        relaysOut.append((session, frame))
        condition.signal()
        condition.unlock()
    }

    /// Announces that shared state changed here (active-active): the others take a snapshot.
    func announceChange() {
        condition.lock()
        changedHere = true
        condition.signal()
        condition.unlock()
    }

    /// Listens for the other nodes' change announcements (active-active).
    func followChanges() { bus.subscribe(Self.changes) }

    /// What was heard since the last call.
    struct Heard {
        /// The highest seq announced per session.
        var commits: [SessionID: Int]
        /// Typing and read frames, in arrival order.
        var relays: [(SessionID, [UInt8])]
        /// Shared state changed on another node.
        var changed: Bool
        /// The bus came back from being down: everything watched must be checked.
        var reconnected: Bool
    }

    func take() -> Heard {
        condition.lock()
        defer { condition.unlock() }
        let heard = Heard(commits: incoming, relays: relaysIn, changed: changedElsewhere, reconnected: reconnected)
        incoming = [:]
        relaysIn = []
        changedElsewhere = false
        reconnected = false
        return heard
    }

    /// Listens on exactly the channels of `watched`; returns the sessions newly listened to,
    /// which the caller checks once (a commit announced before the subscription went out
    /// would otherwise wait for the periodic check).
    func follow(_ watched: Set<SessionID>) -> Set<SessionID> {
        let added = watched.subtracting(followed)
        for session in followed.subtracting(watched) { bus.unsubscribe(Self.channel(session)) }
        for session in added { bus.subscribe(Self.channel(session)) }
        followed = watched
        return added
    }

    /// Ends the publishing thread once what is queued went out (or failed).
    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func publishUntilStopped() {
        while true {
            condition.lock()
            while outgoing.isEmpty && relaysOut.isEmpty && !changedHere && !stopped { condition.wait() }
            let batch = outgoing
            let changed = changedHere
            let relays = relaysOut
            outgoing = [:]
            relaysOut = []
            changedHere = false
            let done = stopped
            condition.unlock()
            // An unconfirmed publish is not retried: receivers' periodic checks cover it.
            if changed { _ = bus.publish(nonce, to: Self.changes) }
            for (session, frame) in relays { _ = bus.publish([UInt8(ascii: "r")] + nonce + frame, to: Self.channel(session)) }
            for (session, seq) in batch { _ = bus.publish(Array(String(seq).utf8), to: Self.channel(session)) }
            if done { return }
        }
    }
}
