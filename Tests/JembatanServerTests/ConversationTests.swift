import Foundation
import JembatanClient
import JembatanCore
import JembatanServer
import JembatanStore
import Testing

/// Whole conversations over real WebSockets against the real server and SQLite file.
@Suite(.serialized) struct ConversationTests {
    @Test func anArabicCounsellingConversationEndToEnd() throws {
        let t = try TestServer()
        defer { t.stop() }
        let (siti, sitiWelcome) = try t.login(
            t.token("c-1", role: "counsellor", name: "Siti", langs: ["id", "en", "ar"], capacity: 3), locale: "id")
        #expect(sitiWelcome["locale"] as? String == "id")
        siti.send(json: ["type": "status", "id": "s", "availability": "available"])
        _ = try siti.next("status")

        let (layla, welcome) = try t.login(t.token("a-17", role: "applicant", name: "ليلى", langs: ["ar", "en"]), locale: "ar-EG")
        #expect(welcome["locale"] as? String == "ar")
        layla.send(json: ["type": "request", "id": "2", "service": "counselling", "language": "ar", "note": "تمديد التأشيرة"])
        let queued = try layla.next("queued")
        #expect(queued["re"] as? String == "2")
        #expect((queued["text"] as? String)?.isEmpty == false)

        let started = try layla.next("session.started")
        let session = try #require((started["session"] as? [String: Any])?["id"] as? String)
        _ = try siti.next("session.started")
        let joined = try layla.next("message")
        #expect(joined["key"] as? String == "session.joined")
        #expect(joined["dir"] as? String == "rtl")

        layla.send(json: ["type": "send", "id": "3", "session": session, "client_msg_id": "u-1", "text": "مرحبا، أحتاج إلى تمديد إقامتي"])
        let ack = try layla.next("ack")
        #expect(ack["seq"] as? Int == 2)
        let received = try siti.next("message")
        // siti first got the joined message (seq 1); skip to seq 2.
        let seq2 = received["seq"] as? Int == 2 ? received : try siti.next("message")
        #expect(seq2["text"] as? String == "مرحبا، أحتاج إلى تمديد إقامتي")
        #expect(seq2["dir"] as? String == "rtl")
        #expect(seq2["lang"] as? String == "ar")
        #expect((seq2["from"] as? [String: Any])?["name"] as? String == "ليلى")

        siti.send(json: ["type": "send", "id": "4", "session": session, "client_msg_id": "c-1-1", "text": "Silakan — welcome, أهلاً"])
        #expect(try siti.next("ack")["seq"] as? Int == 3)
        #expect(try layla.next("message")["seq"] as? Int == 2)
        #expect(try layla.next("message")["seq"] as? Int == 3)

        siti.send(json: ["type": "close", "id": "7", "session": session, "reason": "resolved"])
        let closed = try layla.next("session.closed")
        #expect(closed["reason"] as? String == "resolved")
        #expect((closed["text"] as? String)?.isEmpty == false)

        // The transcript, as the applicant, in text with isolates around every message.
        let token = t.token("a-17", role: "applicant", name: "ليلى", langs: ["ar"])
        let text = try HTTPClient.get(
            port: t.port, path: "/api/sessions/\(session)/transcript?format=text", headers: ["Authorization": "Bearer \(token)"])
        #expect(text.status == 200)
        #expect(text.text.contains("\u{2068}مرحبا، أحتاج إلى تمديد إقامتي\u{2069}"))
        let json = try HTTPClient.get(
            port: t.port, path: "/api/sessions/\(session)/transcript", headers: ["Authorization": "Bearer \(token)"])
        let body = try #require(try JSONSerialization.jsonObject(with: Data(json.body)) as? [String: Any])
        #expect((body["messages"] as? [Any])?.count == 4)
        // HTML: the page in the reader's locale and direction, each message with dir="auto".
        let html = try HTTPClient.get(
            port: t.port, path: "/api/sessions/\(session)/transcript?format=html&locale=ar", headers: ["Authorization": "Bearer \(token)"])
        #expect(html.status == 200)
        #expect(html.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(html.text.contains(#"<html lang="ar" dir="rtl">"#))
        #expect(html.text.contains(#"<p dir="auto" lang="ar">مرحبا، أحتاج إلى تمديد إقامتي</p>"#))
    }

    @Test func aMandarinConversationWithRetriesThatStoreNothingNew() throws {
        let t = try TestServer()
        defer { t.stop() }
        let (budi, _) = try t.login(t.token("c-2", role: "counsellor", name: "Budi", langs: ["id", "zh"]))
        budi.send(json: ["type": "status", "availability": "available"])
        let (wei, welcome) = try t.login(t.token("a-18", role: "applicant", name: "王伟", langs: ["zh"]), locale: "zh-Hans-CN")
        #expect(welcome["locale"] as? String == "zh")
        wei.send(json: ["type": "request", "service": "counselling", "language": "zh-CN"])
        let session = try #require((try wei.next("session.started")["session"] as? [String: Any])?["id"] as? String)
        let send: [String: Any] = ["type": "send", "session": session, "client_msg_id": "retry-1", "text": "你好，我想咨询居留许可。"]
        wei.send(json: send)
        let first = try wei.next("ack")
        wei.send(json: send)
        let second = try wei.next("ack")
        #expect(first["seq"] as? Int == 2)
        #expect(second["seq"] as? Int == 2)
        let message = try budi.next("message", timeout: .seconds(5))
        let chinese = message["seq"] as? Int == 2 ? message : try budi.next("message")
        #expect(chinese["text"] as? String == "你好，我想咨询居留许可。")
        #expect(chinese["dir"] as? String == "ltr")
        // HTML export escapes what people type.
        wei.send(json: ["type": "send", "session": session, "client_msg_id": "markup", "text": "费用 <5000> & 'ok'"])
        _ = try wei.next("ack")
        let html = try HTTPClient.get(
            port: t.port, path: "/api/sessions/\(session)/transcript?format=html",
            headers: [
                "Authorization": "Bearer \(t.token("a-18", role: "applicant", name: "王伟", langs: ["zh"]))",
                "Accept-Language": "zh-CN,zh;q=0.9",
            ])
        #expect(html.text.contains("费用 &lt;5000&gt; &amp; &#39;ok&#39;"))
        #expect(html.text.contains(#"<html lang="zh" dir="ltr">"#))
        // history shows it once
        wei.send(json: ["type": "history", "id": "h", "session": session, "after_seq": 0])
        let history = try wei.next("history")
        #expect((history["messages"] as? [Any])?.count == 3)
    }

    @Test func strangersCannotReadOrWriteASession() throws {
        let t = try TestServer()
        defer { t.stop() }
        let (officer, _) = try t.login(t.token("o-1", role: "officer", name: "Ahmad", langs: ["id", "en"]))
        officer.send(json: ["type": "status", "availability": "available"])
        let (applicant, _) = try t.login(t.token("a-1", role: "applicant", name: "Ana", langs: ["en"]))
        applicant.send(json: ["type": "request", "service": "visa", "language": "en"])
        let session = try #require((try applicant.next("session.started")["session"] as? [String: Any])?["id"] as? String)

        let strangerToken = t.token("a-2", role: "applicant", name: "Eve", langs: ["en"])
        let (stranger, _) = try t.login(strangerToken)
        stranger.send(json: ["type": "send", "id": "x", "session": session, "client_msg_id": "e-1", "text": "let me in"])
        let error = try stranger.next("error")
        #expect(error["code"] as? String == "forbidden")
        #expect(error["re"] as? String == "x")
        stranger.send(json: ["type": "history", "id": "y", "session": session])
        #expect(try stranger.next("error")["code"] as? String == "forbidden")

        let export = try HTTPClient.get(
            port: t.port, path: "/api/sessions/\(session)/transcript", headers: ["Authorization": "Bearer \(strangerToken)"])
        #expect(export.status == 403)
        let anonymous = try HTTPClient.get(port: t.port, path: "/api/sessions/\(session)/transcript")
        #expect(anonymous.status == 401)
        let supervisor = t.token("sv-1", role: "supervisor", name: "Maya", langs: ["id"])
        let audited = try HTTPClient.get(
            port: t.port, path: "/api/sessions/\(session)/transcript", headers: ["Authorization": "Bearer \(supervisor)"])
        #expect(audited.status == 200)
        // A supervisor is not a participant: the read is in the audit log.
        let store = try SQLiteStore(path: t.data.appendingPathComponent("jembatan.sqlite").path)
        var trail: [(action: String, subject: String)] = []
        for _ in 0..<50 where trail.isEmpty {
            trail = try store.auditTrail(actor: ParticipantID("sv-1"))
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(trail.map(\.action) == ["transcript"])
        #expect(trail.map(\.subject) == [session])
        #expect(try store.auditAddresses(actor: ParticipantID("sv-1")) == ["127.0.0.1"])  // who looked, from where
        // Nothing the stranger sent was stored: the officer's history has only the joined message.
        officer.send(json: ["type": "history", "id": "h", "session": session])
        #expect((try officer.next("history")["messages"] as? [Any])?.count == 1)
    }
}
