/// The few MQTT 3.1.1 packets the comparison needs, encoded and decoded by hand (a client
/// library would measure itself too): CONNECT, SUBSCRIBE, PUBLISH QoS 1 and PUBACK out;
/// CONNACK, SUBACK, PUBLISH and PUBACK in.
enum MQTTPacket: Equatable {
    case connectAcknowledged(returnCode: UInt8)
    case subscribeAcknowledged(packetID: UInt16)
    case publish(topic: [UInt8], packetID: UInt16?, payload: [UInt8])
    case publishAcknowledged(packetID: UInt16)
    case other(type: UInt8)

    static func connect(clientID: String) -> [UInt8] {
        // Protocol "MQTT", level 4, clean session, keep-alive 0 (off: the run is bounded).
        var body: [UInt8] = [0, 4] + Array("MQTT".utf8) + [4, 0x02, 0, 0]
        body += string(Array(clientID.utf8))
        return frame(0x10, body)
    }

    static func subscribe(topic: String, packetID: UInt16) -> [UInt8] {
        frame(0x82, bytes(packetID) + string(Array(topic.utf8)) + [1])
    }

    static func publish(topic: String, packetID: UInt16, payload: [UInt8]) -> [UInt8] {
        frame(0x32, string(Array(topic.utf8)) + bytes(packetID) + payload)
    }

    static func publishAcknowledgement(packetID: UInt16) -> [UInt8] { frame(0x40, bytes(packetID)) }

    private static func frame(_ header: UInt8, _ body: [UInt8]) -> [UInt8] {
        var out = [header]
        var length = body.count
        repeat {
            var byte = UInt8(length % 128)
            length /= 128
            if length > 0 { byte |= 0x80 }
            out.append(byte)
        } while length > 0
        return out + body
    }

    private static func bytes(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }

    private static func string(_ value: [UInt8]) -> [UInt8] { bytes(UInt16(value.count)) + value }

    /// Takes every complete packet off the front of `buffer` (a broker may split a packet
    /// over WebSocket frames or put several in one). Returns nil on a malformed length.
    static func drain(_ buffer: inout [UInt8]) -> [MQTTPacket]? {
        var packets: [MQTTPacket] = []
        var offset = 0
        while offset < buffer.count {
            var length = 0
            var multiplier = 1
            var index = offset + 1
            var complete = false
            while index < buffer.count, index - offset <= 4 {
                let byte = buffer[index]
                length += Int(byte & 0x7F) * multiplier
                multiplier *= 128
                index += 1
                if byte & 0x80 == 0 {
                    complete = true
                    break
                }
            }
            if !complete {
                if index - offset > 4 { return nil }
                break
            }
            guard index + length <= buffer.count else { break }
            packets.append(decode(header: buffer[offset], body: buffer[index..<(index + length)]))
            offset = index + length
        }
        buffer.removeFirst(offset)
        return packets
    }

    private static func decode(header: UInt8, body: ArraySlice<UInt8>) -> MQTTPacket {
        let bytes = Array(body)
        func word(_ at: Int) -> UInt16 { at + 1 < bytes.count ? UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1]) : 0 }
        switch header >> 4 {
        case 2: return .connectAcknowledged(returnCode: bytes.count > 1 ? bytes[1] : 0xFF)
        case 9: return .subscribeAcknowledged(packetID: word(0))
        case 4: return .publishAcknowledged(packetID: word(0))
        case 3:
            let topicLength = Int(word(0))
            let qos = (header >> 1) & 0x03
            var at = 2 + topicLength
            guard at <= bytes.count else { return .other(type: 3) }
            let topic = Array(bytes[2..<at])
            var packetID: UInt16?
            if qos > 0 {
                packetID = word(at)
                at += 2
            }
            return .publish(topic: topic, packetID: packetID, payload: at <= bytes.count ? Array(bytes[at...]) : [])
        default: return .other(type: header >> 4)
        }
    }
}
