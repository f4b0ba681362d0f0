import Foundation
import JembatanClient
import JembatanServer
import Testing

/// Search finds Mandarin and Arabic words, and only in transcripts the caller may read.
@Suite(.serialized) struct SearchTests {
    func search(_ t: TestServer, _ query: String, token: String) throws -> [[String: Any]] {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let response = try HTTPClient.get(port: t.port, path: "/api/search?q=\(encoded)", headers: ["Authorization": "Bearer \(token)"])
        #expect(response.status == 200)
        let body = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return body?["results"] as? [[String: Any]] ?? []
    }

    @Test func findsWordsInMandarinAndArabicOnlyWhereTheCallerMayRead() throws {
        let t = try TestServer()
        defer { t.stop() }
        let (budi, _) = try t.login(t.token("c-2", role: "counsellor", name: "Budi", langs: ["zh", "ar"], capacity: 5))
        budi.send(json: ["type": "status", "availability": "available"])
        let weiToken = t.token("a-18", role: "applicant", name: "王伟", langs: ["zh"])
        let laylaToken = t.token("a-17", role: "applicant", name: "ليلى", langs: ["ar"])
        let texts = [(weiToken, "zh", "我想咨询居留许可的续签。"), (laylaToken, "ar", "أحتاج إلى تمديد الإقامة من فضلك")]
        for (token, language, text) in texts {
            let (client, _) = try t.login(token)
            client.send(json: ["type": "request", "service": "counselling", "language": language])
            let session = try #require((try client.next("session.started")["session"] as? [String: Any])?["id"] as? String)
            client.send(json: ["type": "send", "session": session, "client_msg_id": "q-\(language)", "text": text])
            _ = try client.next("ack")
        }
        let mandarin = try search(t, "居留", token: weiToken)
        #expect(mandarin.count == 1)
        #expect((mandarin.first?["snippet"] as? String)?.contains("<mark>居留</mark>") == true)
        #expect(try search(t, "تمديد", token: laylaToken).count == 1)
        // Each applicant sees only their own transcript.
        #expect(try search(t, "居留", token: laylaToken).isEmpty)
        #expect(try search(t, "تمديد", token: weiToken).isEmpty)
        // The counsellor of both, and a supervisor, find both.
        let budiToken = t.token("c-2", role: "counsellor", name: "Budi", langs: ["zh", "ar"])
        #expect(try search(t, "تمديد", token: budiToken).count == 1)
        let supervisor = t.token("sv-1", role: "supervisor", name: "Maya", langs: ["id"])
        #expect(try search(t, "许可", token: supervisor).count == 1)
        #expect(try HTTPClient.get(port: t.port, path: "/api/search?q=x").status == 401)
    }

    @Test func supervisorsReadTheQueuesOverHTTP() throws {
        let t = try TestServer()
        defer { t.stop() }
        let (applicant, _) = try t.login(t.token("a-1", role: "applicant", name: "Ana", langs: ["en"]))
        applicant.send(json: ["type": "request", "service": "visa", "language": "en"])
        _ = try applicant.next("queued")
        let supervisor = t.token("sv-1", role: "supervisor", name: "Maya", langs: ["id"])
        let response = try HTTPClient.get(port: t.port, path: "/api/queues", headers: ["Authorization": "Bearer \(supervisor)"])
        #expect(response.status == 200)
        let body = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        let rows = body?["queues"] as? [[String: Any]] ?? []
        #expect(rows.first { $0["service"] as? String == "visa" && $0["language"] as? String == "en" }?["waiting"] as? Int == 1)
        let applicantToken = t.token("a-1", role: "applicant", name: "Ana", langs: ["en"])
        #expect(try HTTPClient.get(port: t.port, path: "/api/queues", headers: ["Authorization": "Bearer \(applicantToken)"]).status == 403)
    }
}
