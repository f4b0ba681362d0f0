import Foundation
import JembatanBus

/// Redis in the active/standby cluster: a node that gives the lease up cleanly (a rolling
/// restart) says so on the `lease` channel, and the standbys try at once instead of at their
/// next poll. Only a wake-up: with Redis down they still poll every second, and a holder that
/// dies says nothing, so its lease must expire first either way.
final class LeaseWakeups: Sendable {
    static let channel = BusChannel(rawValue: "lease")
    private let bus: RedisBus
    /// Signalled for each release heard while waiting for the lease.
    let nudge = DispatchSemaphore(value: 0)

    init(bus: RedisBus) {
        self.bus = bus
        let nudge = nudge
        bus.onMessage { channel, _ in
            if channel == Self.channel { nudge.signal() }
        }
        bus.subscribe(Self.channel)
        bus.start()
    }

    /// The node holds the lease now: releases are of no interest until it gives it up.
    func stopListening() { bus.unsubscribe(Self.channel) }

    /// After `BrokerLease.release()`: wakes the standbys (unconfirmed; they poll anyway).
    func announceRelease() { _ = bus.publish(Array("released".utf8), to: Self.channel) }

    func stop() { bus.stop() }
}
