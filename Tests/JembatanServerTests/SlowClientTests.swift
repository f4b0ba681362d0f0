import Foundation
import JembatanClient
import JembatanServer
import Testing

/// A client that stops reading is closed (4408 when the close can still reach it) and
/// nobody else is held up; it loses nothing, since it can resume from the transcript.
@Suite(.serialized) struct SlowClientTests {
    @Test func aClientThatStopsReadingIsDroppedAndOthersAreServed() throws {
        // The flood below is far above any person's rate: limits off for this test.
        let t = try TestServer {
            $0.sendQueueBytes = 256 * 1024
            $0.broker.limits.setRate(0)
        }
        defer { t.stop() }
        let applicantToken = t.token("a-1", role: "applicant", name: "Ana", langs: ["en"])
        let (officer, _) = try t.login(t.token("o-1", role: "officer", name: "Ahmad", langs: ["en"]))
        officer.send(json: ["type": "status", "availability": "available"])
        let (applicant, _) = try t.login(applicantToken)
        applicant.send(json: ["type": "request", "service": "visa", "language": "en"])
        let session = try #require((try applicant.next("session.started")["session"] as? [String: Any])?["id"] as? String)

        // A second connection of the same applicant that never reads.
        let slow = try RawSocket(port: t.port)
        slow.sendText(#"{"type":"hello","token":"\#(applicantToken)"}"#)
        let text = String(repeating: "Dokumen lengkap. ", count: 200)
        let count = 1000
        // In bursts of 20, so the officer's own connection stays well inside its bound.
        for burst in stride(from: 1, through: count, by: 20) {
            for index in burst..<burst + 20 {
                officer.send(json: ["type": "send", "session": session, "client_msg_id": "flood-\(index)", "text": text])
            }
            for _ in 0..<20 { _ = try officer.next("ack", timeout: .seconds(20)) }
        }

        let (closed, code) = slow.drainUntilClosed(timeout: 15)
        // Reading now drains the kernel buffers, so the close frame lws kept back arrives.
        #expect(closed)
        #expect(code == 4408)
        // The reading connection got every message, in order.
        var seen = 0
        while seen < count + 1 {
            let message = try applicant.next("message", timeout: .seconds(10))
            let seq = message["seq"] as? Int ?? 0
            #expect(seq == seen + 1)
            seen = seq
        }
    }
}
