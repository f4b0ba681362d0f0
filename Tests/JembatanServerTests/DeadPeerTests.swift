import Foundation
import JembatanClient
import JembatanServer
import Testing

/// Pings find peers that vanished without closing (a phone that lost its network); a
/// retry after a lost ack is answered with the original seq.
@Suite(.serialized) struct DeadPeerTests {
    @Test func aPeerThatAnswersNoPingIsDropped() throws {
        let t = try TestServer {
            $0.pingSeconds = 1
            $0.hangupSeconds = 3
        }
        defer { t.stop() }
        // The raw socket never reads, so it never answers a ping.
        let silent = try RawSocket(port: t.port)
        silent.sendText(#"{"type":"hello","token":"\#(t.token("a-1", role: "applicant", name: "A", langs: ["en"]))"}"#)
        let started = Date()
        let (closed, _) = silent.drainUntilClosed(timeout: 12)
        #expect(closed)
        #expect(Date().timeIntervalSince(started) >= 1)
    }

    @Test func aPeerThatAnswersPingsStaysConnectedThroughSilence() throws {
        let t = try TestServer {
            $0.pingSeconds = 1
            $0.hangupSeconds = 2
        }
        defer { t.stop() }
        // The client library answers pings (libwebsockets pongs for it) but sends nothing.
        let (quiet, _) = try t.login(t.token("a-1", role: "applicant", name: "A", langs: ["en"]))
        Thread.sleep(forTimeInterval: 4.5)
        quiet.send(json: ["type": "request", "id": "r", "service": "visa", "language": "en"])
        #expect(try quiet.next("queued")["re"] as? String == "r")
    }

    @Test func aSendWhoseAckWasLostIsRetriedOnANewConnectionWithoutADuplicate() throws {
        let t = try TestServer()
        defer { t.stop() }
        let (officer, _) = try t.login(t.token("o-1", role: "officer", name: "Ahmad", langs: ["id"]))
        officer.send(json: ["type": "status", "availability": "available"])
        let applicantToken = t.token("a-1", role: "applicant", name: "Dewi", langs: ["id"])
        let (first, _) = try t.login(applicantToken)
        first.send(json: ["type": "request", "service": "visa", "language": "id"])
        let session = try #require((try first.next("session.started")["session"] as? [String: Any])?["id"] as? String)
        // Send, then drop the connection at once: the ack may never arrive.
        first.send(json: ["type": "send", "session": session, "client_msg_id": "lost-ack", "text": "Paspor saya hilang"])
        first.close()
        let (second, _) = try t.login(applicantToken)
        second.send(json: ["type": "send", "session": session, "client_msg_id": "lost-ack", "text": "Paspor saya hilang"])
        #expect(try second.next("ack")["seq"] as? Int == 2)
        second.send(json: ["type": "history", "id": "h", "session": session])
        let texts = (try second.next("history")["messages"] as? [[String: Any]])?.compactMap { $0["text"] as? String }
        #expect(texts?.filter { $0 == "Paspor saya hilang" }.count == 1)
    }
}
