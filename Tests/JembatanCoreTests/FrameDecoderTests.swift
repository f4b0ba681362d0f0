import Foundation
import Testing

@testable import JembatanCore

@Suite struct FrameDecoderTests {
    func decode(_ text: String) -> Result<DecodedFrame, FrameError> { FrameDecoder.decode(Array(text.utf8)) }

    @Test(arguments: [
        ("{not json", "not valid JSON"),
        ("[1,2]", "a frame must be a JSON object"),
        (#"{"id":"1"}"#, "missing field 'type'"),
        (#"{"type":"send","session":"s-1","text":"hi"}"#, "missing field 'client_msg_id'"),
        (#"{"type":"send","session":7,"client_msg_id":"x","text":"hi"}"#, "field 'session' must be a string"),
        (#"{"type":"history","session":"s-1","limit":100000}"#, "'limit' must be 1...500, 'after_seq' >= 0, 'before_seq' >= 1"),
        (#"{"type":"request","service":"visa","language":"12"}"#, "field 'language' must be a BCP 47 tag"),
    ])
    func refusesWithAReasonThatNamesTheField(frame: String, detail: String) {
        guard case .failure(let error) = decode(frame) else {
            Issue.record("decoded a bad frame")
            return
        }
        #expect(error.code == .bad_request)
        #expect(error.detail == detail)
    }

    @Test func unknownTypeIsBadRequestAndKeepsTheRequestID() {
        guard case .failure(let error) = decode(#"{"type":"dance","id":"9"}"#) else {
            Issue.record("decoded an unknown type")
            return
        }
        #expect(error.code == .bad_request)
        #expect(error.requestID == "9")
        #expect(error.messageKey == "error.unknown_type")
    }

    @Test func errorsNeverEchoContent() {
        guard case .failure(let error) = decode(#"{"type":"send","session":"s-1","client_msg_id":"x","text":42,"secret":"PASSPORT-123"}"#)
        else {
            Issue.record("decoded a mistyped text")
            return
        }
        #expect(!error.detail.contains("42"))
        #expect(!error.detail.contains("PASSPORT"))
    }

    @Test func decodesASendWithItsOptionalFields() throws {
        let result = decode(
            #"{"type":"send","id":"3","session":"s-42","client_msg_id":"u-1","text":"مرحبا","lang":"ar","reply_to":2,"translation_of":1}"#)
        let decoded = try result.get()
        #expect(decoded.id == "3")
        #expect(
            decoded.frame
                == .send(
                    OutgoingMessage(
                        session: SessionID("s-42"), clientMessageID: ClientMessageID("u-1"), text: "مرحبا", lang: "ar", replyTo: 2,
                        translationOf: 1)))
    }

    @Test func decodesHelloWithResumePoints() throws {
        let decoded = try decode(#"{"type":"hello","token":"t","locale":"ar","resume":[{"session":"s-1","after_seq":12}]}"#).get()
        #expect(decoded.frame == .hello(token: "t", locale: "ar", resume: [ResumePoint(session: SessionID("s-1"), afterSeq: 12)]))
    }

    @Test func jsonWriterEscapesAndKeepsOrder() {
        let value: JSONValue = .object(["type": "x", "text": "a\"b\\c\n\u{1}", "n": 3, "f": .number(1.5)])
        #expect(JSONWriter.string(value) == #"{"type":"x","text":"a\"b\\c\n\u0001","n":3,"f":1.5}"#)
    }

    @Test func jsonWriterWritesNumbersAndTextAsTheParserReadsThem() throws {
        let numbers: [Double] = [0, 7, -5, 10, 1_234_567_890_123, 9_007_199_254_740_991, -9_007_199_254_740_991, 1.5, -0.25, 1e300]
        #expect(
            JSONWriter.string(.array(numbers.map(JSONValue.number)))
                == "[0,7,-5,10,1234567890123,9007199254740991,-9007199254740991,1.5,-0.25,1e+300]")
        let texts = ["", "plain", "ليلى 护照 😀", "tab\there \u{7f} \u{0}\u{1f}", "\"\\\"", "end\\"]
        for text in texts {
            #expect(try JSONParser.parse(JSONWriter.bytes(.string(text))) == .string(text))
        }
    }

    @Test func timestampsAreRFC3339WithMilliseconds() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_796_459_400.5)) == "2026-12-05T08:30:00.500Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 253_402_300_800)) == "10000-01-01T00:00:00.000Z")
        // Against Foundation's formatter over a century of random instants (whole milliseconds).
        let reference = ISO8601DateFormatter()
        reference.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let millis = Int64.random(in: 0..<4_102_444_800_000, using: &generator)
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            #expect(Timestamp.format(date) == reference.string(from: date))
        }
    }
}
