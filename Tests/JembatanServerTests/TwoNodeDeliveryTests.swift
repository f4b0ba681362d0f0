import Foundation
import JembatanBus
import JembatanClient
import JembatanServer
import Logging
import RedisTestSupport
import Testing

/// Two brokers serving one session from one store, woken by a real Redis (cluster mode's
/// receive path): what one node commits reaches the other node's connections in order, and
/// nothing is lost while Redis is down.
@Suite(.serialized) struct TwoNodeDeliveryTests {
    /// An applicant on node A, her counsellor moved from A to node B and resumed there.
    final class TwoNodes {
        let redis: RedisServer
        let busA: RedisBus
        let busB: RedisBus
        let a: TestServer
        let b: TestServer
        let layla: WebSocketClient
        let sitiOnB: WebSocketClient
        let session: String

        /// `active`: the brokers run as active-active nodes (typing and read markers cross).
        init(checkSeconds: TimeInterval, active: Bool = false) throws {
            let secret = "two-node-secret-\(UUID().uuidString)"
            let configure = { (configuration: inout ServerConfiguration) in
                configuration.jwtSecret = secret
                configuration.clusterCheckSeconds = checkSeconds
                configuration.broker.clusterActive = active
                // The counsellor moves to the other node: the first must not hand her session back.
                configuration.broker.staffGraceSeconds = 600
            }
            redis = try RedisServer()
            var logger = Logger(label: "test.bus")
            logger.logLevel = .critical
            busA = RedisBus(configuration: RedisBusConfiguration(port: redis.port), logger: logger)
            busB = RedisBus(configuration: RedisBusConfiguration(port: redis.port), logger: logger)
            a = try TestServer(bus: busA, configure: configure)
            let sitiToken = a.token("c-1", role: "counsellor", name: "Siti", langs: ["id", "ar"], capacity: 3)
            let (siti, _) = try a.login(sitiToken)
            siti.send(json: ["type": "status", "id": "s", "availability": "available"])
            _ = try siti.next("status")
            (layla, _) = try a.login(a.token("a-17", role: "applicant", name: "ليلى", langs: ["ar"]))
            layla.send(json: ["type": "request", "id": "r", "service": "counselling", "language": "ar"])
            let started = try layla.next("session.started")
            session = try #require((started["session"] as? [String: Any])?["id"] as? String)
            let joined = try #require(try layla.next("message")["seq"] as? Int)
            // The second node starts on the same store and finds the session there.
            b = try TestServer(data: a.data, bus: busB, configure: configure)
            busA.start()
            busB.start()
            siti.close()
            (sitiOnB, _) = try b.login(sitiToken, resume: [["session": session, "after_seq": joined]])
            // Both nodes listen on the session's channel once their next tick ran.
            let session = session
            guard waitUntil(timeout: .seconds(10), { (try? self.redis.subscriberCount("s:\(session)")) == 2 }) else {
                throw TestFailure("the nodes did not subscribe to the session")
            }
        }

        func stop() {
            b.stop()
            a.stop()
            busA.stop()
            busB.stop()
        }

        func send(_ client: WebSocketClient, _ id: String) throws -> Int {
            client.send(json: ["type": "send", "id": id, "session": session, "client_msg_id": id, "text": "pesan \(id)"])
            return try #require(try client.next("ack")["seq"] as? Int)
        }

        /// The next message frame `client` gets whose seq is `seq`, passing over earlier ones
        /// (a sender's own copies); fails on a later seq.
        func message(_ client: WebSocketClient, seq: Int) throws -> [String: Any] {
            while true {
                let frame = try client.next("message", timeout: .seconds(10))
                let got = try #require(frame["seq"] as? Int)
                if got == seq { return frame }
                if got > seq { throw TestFailure("seq \(seq) skipped") }
            }
        }
    }

    @Test func wakeUpsCarryEachCommitToTheOtherNodeBothWays() throws {
        // The periodic check never runs within the test: only wake-ups can deliver.
        let nodes = try TwoNodes(checkSeconds: 3600)
        defer { nodes.stop() }
        let first = try nodes.send(nodes.layla, "m1")
        #expect(try nodes.message(nodes.sitiOnB, seq: first)["text"] as? String == "pesan m1")
        let second = try nodes.send(nodes.layla, "m2")
        _ = try nodes.message(nodes.sitiOnB, seq: second)
        let answer = try nodes.send(nodes.sitiOnB, "c1")
        #expect(answer == second + 1)
        #expect(try nodes.message(nodes.layla, seq: answer)["text"] as? String == "pesan c1")
        // A retry on the other node stores nothing new and answers with the original seq.
        #expect(try nodes.send(nodes.sitiOnB, "c1") == answer)
    }

    @Test func withRedisDownThePeriodicCheckDeliversAndWakeUpsResumeAfter() throws {
        let nodes = try TwoNodes(checkSeconds: 1)
        defer { nodes.stop() }
        nodes.redis.kill()
        let lost = try nodes.send(nodes.layla, "m1")
        #expect(try nodes.message(nodes.sitiOnB, seq: lost)["text"] as? String == "pesan m1")
        try nodes.redis.restart()
        #expect(waitUntil { nodes.busA.health == .up && nodes.busB.health == .up })
        let next = try nodes.send(nodes.layla, "m2")
        _ = try nodes.message(nodes.sitiOnB, seq: next)
        let answer = try nodes.send(nodes.sitiOnB, "c1")
        _ = try nodes.message(nodes.layla, seq: answer)
    }

    @Test func typingAndReadMarkersReachTheMembersOnTheOtherNode() throws {
        let nodes = try TwoNodes(checkSeconds: 3600, active: true)
        defer { nodes.stop() }
        nodes.layla.send(json: ["type": "typing", "session": nodes.session, "on": true])
        let typing = try nodes.sitiOnB.next("typing")
        #expect(typing["on"] as? Bool == true)
        #expect((typing["from"] as? [String: Any])?["id"] as? String == "a-17")
        let seq = try nodes.send(nodes.layla, "m1")
        _ = try nodes.message(nodes.sitiOnB, seq: seq)
        nodes.sitiOnB.send(json: ["type": "read", "session": nodes.session, "seq": seq])
        let read = try nodes.layla.next("read")
        #expect(read["seq"] as? Int == seq)
        #expect((read["from"] as? [String: Any])?["id"] as? String == "c-1")
    }
}
