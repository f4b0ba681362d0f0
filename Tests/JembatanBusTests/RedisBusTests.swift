import Foundation
import JembatanBus
import RedisTestSupport
import Testing

/// RedisBus against a real redis-server the test starts on a free loopback port. Serialized:
/// each test runs its own Redis, and the machine's two cores are shared.
@Suite(.serialized)
struct RedisBusTests {
    /// Not valid UTF-8, with a NUL inside; then 100 KB of every byte value.
    static let binary: [UInt8] = [0xFF, 0xFE, 0x00, 0x80, 0xC3, 0x28, 0x0A]
    static let large: [UInt8] = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }

    @Test func publishedBytesReachTheChannelsSubscribersOnly() throws {
        let redis = try RedisServer()
        let (received, elsewhere, sending) = (Inbox(), Inbox(), Inbox())
        let receiver = received.bus(port: redis.port, subscribedTo: ["s:1"])
        let other = elsewhere.bus(port: redis.port, subscribedTo: ["s:2"])
        let sender = sending.bus(port: redis.port)
        defer { [receiver, other, sender].forEach { $0.stop() } }
        #expect(waitUntil { receiver.health == .up && other.health == .up })

        for payload in [Self.binary, Self.large, []] {
            #expect(sender.publish(payload, to: BusChannel(rawValue: "s:1")))
        }
        #expect(waitUntil { received.messages.count == 3 })
        #expect(received.messages == [Self.binary, Self.large, []].map { Received(channel: BusChannel(rawValue: "s:1"), payload: $0) })

        // Redis keeps one connection's publishes in order, so had `other` been sent the s:1
        // messages it would have them before this one.
        #expect(sender.publish([1], to: BusChannel(rawValue: "s:2")))
        #expect(waitUntil { elsewhere.messages.count == 1 })
        #expect(elsewhere.messages == [Received(channel: BusChannel(rawValue: "s:2"), payload: [1])])
        #expect(sending.messages.isEmpty)
    }

    @Test func publishersOnManyThreadsShareTheConnection() throws {
        let redis = try RedisServer()
        let inbox = Inbox()
        let receiver = inbox.bus(port: redis.port, subscribedTo: ["s:1"])
        let sender = Inbox().bus(port: redis.port)
        defer { [receiver, sender].forEach { $0.stop() } }
        #expect(waitUntil { receiver.health == .up })
        let (threads, each) = (4, 200)
        let failures = Inbox.Counter()
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for index in 0..<each
            where !sender.publish([UInt8(thread), UInt8(index / 256), UInt8(index % 256)], to: .init(rawValue: "s:1")) {
                failures.increment()
            }
        }
        #expect(failures.value == 0)
        #expect(waitUntil { inbox.messages.count == threads * each })
        // Each thread's messages arrive complete and in its order.
        for thread in 0..<threads {
            let indexes = inbox.messages.map(\.payload).filter { $0.first == UInt8(thread) }.map { Int($0[1]) * 256 + Int($0[2]) }
            #expect(indexes == Array(0..<each))
        }
    }

    @Test func unsubscribeStopsDelivery() throws {
        let redis = try RedisServer()
        let inbox = Inbox()
        let receiver = inbox.bus(port: redis.port, subscribedTo: ["p:7", "p:8"])
        let sender = Inbox().bus(port: redis.port)
        defer { [receiver, sender].forEach { $0.stop() } }
        #expect(waitUntil { receiver.health == .up })
        #expect(sender.publish([1], to: BusChannel(rawValue: "p:7")))
        #expect(waitUntil { inbox.messages.count == 1 })

        receiver.unsubscribe(BusChannel(rawValue: "p:7"))
        // Redis itself dropped the subscription, not only the bus's filter.
        #expect(waitUntil { (try? redis.subscriberCount("p:7")) == 0 })
        #expect(try redis.subscriberCount("p:8") == 1)
        #expect(sender.publish([2], to: BusChannel(rawValue: "p:7")))
        #expect(sender.publish([3], to: BusChannel(rawValue: "p:8")))
        #expect(waitUntil { inbox.messages.count == 2 })
        #expect(inbox.messages.map(\.payload) == [[1], [3]])

        // And subscribing again works on the same connection.
        receiver.subscribe(BusChannel(rawValue: "p:7"))
        #expect(waitUntil { (try? redis.subscriberCount("p:7")) == 1 })
        #expect(sender.publish([4], to: BusChannel(rawValue: "p:7")))
        #expect(waitUntil { inbox.messages.count == 3 })
        #expect(inbox.messages.last == Received(channel: BusChannel(rawValue: "p:7"), payload: [4]))
    }

    @Test func survivesARedisRestart() throws {
        let redis = try RedisServer()
        let inbox = Inbox()
        let receiver = inbox.bus(port: redis.port, subscribedTo: ["s:9"])
        let sender = Inbox().bus(port: redis.port)
        defer { [receiver, sender].forEach { $0.stop() } }
        let channel = BusChannel(rawValue: "s:9")
        #expect(waitUntil { receiver.health == .up && sender.health == .up })
        #expect(sender.publish([1], to: channel))
        #expect(waitUntil { inbox.messages.count == 1 })
        #expect(inbox.reconnectCount == 0)

        redis.kill()
        #expect(waitUntil { receiver.health == .down && sender.health == .down })
        let clock = ContinuousClock()
        for _ in 0..<5 {
            var published = true
            let elapsed = clock.measure { published = sender.publish([2], to: channel) }
            #expect(!published)
            #expect(elapsed < .seconds(10))
        }

        try redis.restart()
        #expect(waitUntil { receiver.health == .up })
        #expect(waitUntil { inbox.reconnectCount == 1 })
        #expect(try redis.subscriberCount("s:9") == 1)
        // The publisher may wait out its backoff before its next connection attempt.
        #expect(waitUntil { sender.publish([3], to: channel) })
        #expect(waitUntil { inbox.messages.last?.payload == [3] })
        #expect(!inbox.messages.contains { $0.payload == [2] })
    }

    @Test func noticesAFrozenRedis() throws {
        let redis = try RedisServer()
        let inbox = Inbox()
        // A short idle ping so the test need not wait out the 5 s default twice.
        let receiver = inbox.bus(port: redis.port, subscribedTo: ["s:5"], idlePing: .milliseconds(300))
        let sender = Inbox().bus(port: redis.port)
        defer { [receiver, sender].forEach { $0.stop() } }
        let channel = BusChannel(rawValue: "s:5")
        #expect(waitUntil { receiver.health == .up && sender.health == .up })
        #expect(sender.publish([1], to: channel))
        #expect(waitUntil { inbox.messages.count == 1 })

        redis.freeze()
        // No reset arrives from a frozen peer: only the unanswered PING tells.
        #expect(waitUntil { receiver.health == .down })
        let clock = ContinuousClock()
        for _ in 0..<3 {
            var published = true
            let elapsed = clock.measure { published = sender.publish([2], to: channel) }
            #expect(!published)
            #expect(elapsed < .seconds(10))
        }

        redis.thaw()
        #expect(waitUntil { receiver.health == .up })
        #expect(waitUntil { inbox.reconnectCount == 1 })
        #expect(waitUntil { sender.publish([3], to: channel) })
        // ([2] may still arrive: Redis runs what sat in its socket buffers once it thaws.)
        #expect(waitUntil { inbox.messages.last?.payload == [3] })
    }

    @Test func stopEndsTheThreadPromptly() throws {
        let redis = try RedisServer()
        let receiver = Inbox().bus(port: redis.port, subscribedTo: ["s:1"])
        #expect(waitUntil { receiver.health == .up })
        #expect(try redis.subscriberCount("s:1") == 1)
        let clock = ContinuousClock()
        #expect(clock.measure { receiver.stop() } < .seconds(10))
        #expect(receiver.health == .down)
        #expect(!receiver.publish([1], to: BusChannel(rawValue: "s:1")))
        // The subscriber connection is closed: Redis no longer counts it.
        #expect(waitUntil { (try? redis.subscriberCount("s:1")) == 0 })
        receiver.stop()  // a second stop is harmless

        // Also while it is retrying an unreachable Redis, and when it never started.
        redis.kill()
        let retrying = Inbox().bus(port: redis.port, subscribedTo: ["s:1"])
        Thread.sleep(forTimeInterval: 0.3)
        #expect(retrying.health == .down)
        #expect(clock.measure { retrying.stop() } < .seconds(10))
        let idle = RedisBus(configuration: RedisBusConfiguration(port: redis.port), logger: .init(label: "bus-test"))
        #expect(clock.measure { idle.stop() } < .seconds(10))
    }
}
