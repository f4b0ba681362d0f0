import Testing

@testable import JembatanServer

/// The frames the broker writes itself (several per `send()`), byte for byte as RFC 6455 §5.2
/// lays them out for a server: FIN, opcode, no mask, the shortest length form.
@Suite struct WebSocketFrameTests {
    func header(_ length: Int, binary: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        WebSocketFrame.appendHeader(payloadLength: length, binary: binary, to: &out)
        return out
    }

    @Test func lengthsBelow126FitTheSecondByte() {
        #expect(header(0) == [0x81, 0])
        #expect(header(125) == [0x81, 125])
        #expect(header(5, binary: true) == [0x82, 5])
    }

    @Test func lengthsUpTo65535TakeSixteenBits() {
        #expect(header(126) == [0x81, 126, 0, 126])
        #expect(header(65_535) == [0x81, 126, 0xFF, 0xFF])
    }

    @Test func longerLengthsTakeSixtyFourBits() {
        #expect(header(65_536) == [0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0])
        #expect(header(0x0102_0304_0506, binary: true) == [0x82, 127, 0, 0, 1, 2, 3, 4, 5, 6])
    }
}
