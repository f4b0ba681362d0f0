import Foundation
import JembatanBus
import Logging

/// One received message.
struct Received: Equatable {
    let channel: BusChannel
    let payload: [UInt8]
}

/// Collects what a bus delivers on its thread, for the test thread to read.
final class Inbox: @unchecked Sendable {
    // Safe: `items` and `reconnects` are only touched under `lock`.
    private let lock = NSLock()
    private var items: [Received] = []
    private var reconnects = 0

    var messages: [Received] { lock.withLock { items } }
    var reconnectCount: Int { lock.withLock { reconnects } }

    /// A started bus on `port` whose messages and reconnections land here.
    func bus(port: Int, subscribedTo channels: [String] = [], idlePing: Duration = .seconds(5)) -> RedisBus {
        var configuration = RedisBusConfiguration(port: port)
        configuration.idlePing = idlePing
        let bus = RedisBus(configuration: configuration, logger: Logger(label: "bus-test"))
        bus.onMessage { [self] channel, payload in lock.withLock { items.append(Received(channel: channel, payload: payload)) } }
        bus.onReconnect { [self] in lock.withLock { reconnects += 1 } }
        for channel in channels { bus.subscribe(BusChannel(rawValue: channel)) }
        bus.start()
        return bus
    }

    /// A counter other threads bump.
    final class Counter: @unchecked Sendable {
        // Safe: `count` is only touched under `lock`.
        private let lock = NSLock()
        private var count = 0

        var value: Int { lock.withLock { count } }
        func increment() { lock.withLock { count += 1 } }
    }
}
