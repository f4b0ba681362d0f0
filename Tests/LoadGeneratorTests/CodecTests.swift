import Foundation
import Testing

@testable import jembatan_load

@Suite struct CodecTests {
    @Test func payloadCarriesSenderAndSendTime() throws {
        let frame = Payload(textSize: 64).frame(sender: 17, counter: 3, session: "s-42", now: 123_456_789)
        let text = String(decoding: frame, as: UTF8.self)
        #expect(text.hasPrefix(#"{"type":"send","id":"m3","session":"s-42","client_msg_id":"17-3","text":"123456789;"#))
        #expect(Payload.origin(of: frame)?.sender == 17)
        #expect(Payload.origin(of: frame)?.sentAt == 123_456_789)
        let object = try JSONSerialization.jsonObject(with: Data(frame)) as? [String: Any]
        #expect((object?["text"] as? String)?.utf8.count == 64)
        #expect(object?["client_msg_id"] as? String == "17-3")
        // As the broker relays it: other fields around, same values.
        let relayed = Array(
            #"{"type":"message","session":"s-42","seq":9,"from":{"id":"a-1","role":"applicant"},"text":"99;xx","client_msg_id":"5-1"}"#.utf8
        )
        #expect(Payload.origin(of: relayed)?.sender == 5)
        #expect(Payload.origin(of: relayed)?.sentAt == 99)
        #expect(Payload.origin(of: Array(#"{"type":"message","text":"joined"}"#.utf8)) == nil)
    }

    @Test func scanFindsTypeAndNestedId() {
        let frame = Array(#"{"type":"session.started","session":{"id":"s-7","service":"counselling"}}"#.utf8)
        #expect(JSONScan.hasType("session.started", frame))
        #expect(!JSONScan.hasType("session", frame))
        let object = JSONScan.valueOffset("session", in: frame)!
        #expect(JSONScan.string("id", in: frame, from: object) == "s-7")
        #expect(JSONScan.string("missing", in: frame) == nil)
    }

    @Test func mqttPacketsSplitAndJoined() throws {
        let publish = MQTTPacket.publish(topic: "p/1", packetID: 258, payload: Array(repeating: 7, count: 300))
        // A remaining length over 127 takes two bytes.
        #expect(publish[0] == 0x32 && publish[1] & 0x80 != 0)
        var buffer = Array(publish.prefix(100))
        #expect(MQTTPacket.drain(&buffer) == [])
        buffer += publish.dropFirst(100) + MQTTPacket.publishAcknowledgement(packetID: 9) + [0x20, 2, 0, 0]
        let packets = try #require(MQTTPacket.drain(&buffer))
        #expect(
            packets == [
                .publish(topic: Array("p/1".utf8), packetID: 258, payload: Array(repeating: 7, count: 300)),
                .publishAcknowledged(packetID: 9), .connectAcknowledged(returnCode: 0),
            ])
        #expect(buffer.isEmpty)
        #expect(MQTTPacket.connect(clientID: "c")[0] == 0x10)
        #expect(MQTTPacket.subscribe(topic: "p/1", packetID: 1) == [0x82, 8, 0, 1, 0, 3, 0x70, 0x2F, 0x31, 1])
    }

    @Test func pacerSpreadsClientsOverThePeriod() {
        var pacer = Pacer(clients: 1000, perSecond: 2)
        #expect(pacer.periodMilliseconds == 500)
        var seen: [Int] = []
        let start: UInt64 = 10_000_000_000
        pacer.due(now: start) { seen.append($0) }
        pacer.due(now: start + 499_000_000) { seen.append($0) }
        #expect(Set(seen).count == 1000 && seen.count == 1000)
        seen = []
        pacer.due(now: start + 999_000_000) { seen.append($0) }
        #expect(seen.count == 1000)
    }
}

@Suite struct SourceRangeTests {
    @Test func aRangeListsItsUsableAddresses() {
        #expect(SourceRange.addresses("127.0.1.0/30") == ["127.0.1.1", "127.0.1.2"])
        #expect(SourceRange.addresses("127.0.1.77/25")?.count == 126)
        #expect(SourceRange.addresses("127.0.1.77/25")?.first == "127.0.1.1")
        #expect(SourceRange.addresses("127.0.1.0/25")?.last == "127.0.1.126")
        for bad in ["127.0.1.0", "127.0.1/24", "127.0.1.0/8", "127.0.1.0/32", "300.0.0.0/24", "::1/120"] {
            #expect(SourceRange.addresses(bad) == nil, "\(bad)")
        }
    }
}
