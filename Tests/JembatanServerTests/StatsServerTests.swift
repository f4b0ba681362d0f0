import Foundation
import JembatanClient
import JembatanCore
import JembatanServer
import Testing

/// `GET /api/stats` over HTTP against the real SQLite file: JSON, CSV and the SVG page.
@Suite(.serialized) struct StatsServerTests {
    @Test func supervisorsGetFiguresAsJSONCSVAndAPage() throws {
        let t = try TestServer { $0.office = "jakarta" }
        defer { t.stop() }
        let (siti, _) = try t.login(t.token("c-1", role: "counsellor", name: "Siti", langs: ["ar"]))
        siti.send(json: ["type": "status", "availability": "available"])
        let (layla, _) = try t.login(t.token("a-17", role: "applicant", name: "Layla", langs: ["ar"]))
        layla.send(json: ["type": "request", "service": "counselling", "language": "ar"])
        let session = try #require((try layla.next("session.started")["session"] as? [String: Any])?["id"] as? String)
        siti.send(json: ["type": "close", "id": "c", "session": session])
        _ = try siti.next("closed")
        layla.send(json: ["type": "feedback", "id": "f", "session": session, "rating": 5, "comment": "Terima kasih"])
        _ = try layla.next("feedback")

        let supervisor = ["Authorization": "Bearer \(t.token("sv-1", role: "supervisor", name: "Maya", langs: ["id"]))"]
        let json = try HTTPClient.get(port: t.port, path: "/api/stats?group_by=office,service,language", headers: supervisor)
        #expect(json.status == 200)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(json.body)) as? [String: Any])
        let row = try #require((body["rows"] as? [[String: Any]])?.first)
        #expect(row["office"] as? String == "jakarta" && row["service"] as? String == "counselling")
        #expect(row["tickets"] as? Int == 1 && row["sessions"] as? Int == 1 && row["ratings"] as? Int == 1)
        #expect(row["rating_avg"] as? Double == 5)

        let csv = try HTTPClient.get(port: t.port, path: "/api/stats?group_by=service&format=csv", headers: supervisor)
        #expect(csv.headers["content-type"]?.hasPrefix("text/csv") == true)
        let lines = csv.text.split(separator: "\r\n")
        #expect(lines.first?.hasPrefix("service,tickets,abandoned,sessions") == true)
        #expect(lines.dropFirst().first?.hasPrefix("counselling,1,0,1") == true)

        let page = try HTTPClient.get(port: t.port, path: "/api/stats?format=html&locale=ar", headers: supervisor)
        #expect(page.text.contains(#"<html lang="ar" dir="rtl">"#) && page.text.contains("<svg role=\"img\""))

        let staff = ["Authorization": "Bearer \(t.token("c-1", role: "counsellor", name: "Siti", langs: ["ar"]))"]
        #expect(try HTTPClient.get(port: t.port, path: "/api/stats", headers: staff).status == 403)
        #expect(try HTTPClient.get(port: t.port, path: "/api/stats?group_by=weather", headers: supervisor).status == 400)
        #expect(try HTTPClient.get(port: t.port, path: "/api/stats?from=2026-13-01", headers: supervisor).status == 400)
    }
}

@Suite(.serialized) struct MetricsTests {
    @Test func prometheusSeesConnectionsQueuesMessagesCommitsAndErrors() throws {
        let t = try TestServer()
        defer { t.stop() }
        let (layla, _) = try t.login(t.token("a-17", role: "applicant", name: "Layla", langs: ["ar"]))
        layla.send(json: ["type": "request", "id": "r", "service": "visa", "language": "ar"])
        _ = try layla.next("queued")
        layla.send(json: ["type": "send", "id": "x", "session": "s-missing", "client_msg_id": "1", "text": "hi"])
        _ = try layla.next("error")
        let (siti, _) = try t.login(t.token("c-1", role: "counsellor", name: "Siti", langs: ["ar"]))
        siti.send(json: ["type": "status", "availability": "available"])
        let (wei, _) = try t.login(t.token("a-18", role: "applicant", name: "Wei", langs: ["ar"]))
        wei.send(json: ["type": "request", "service": "counselling", "language": "ar"])
        let session = try #require((try wei.next("session.started")["session"] as? [String: Any])?["id"] as? String)
        wei.send(json: ["type": "send", "id": "m", "session": session, "client_msg_id": "w1", "text": "مرحبا"])
        _ = try wei.next("ack")

        let scrape = try HTTPClient.get(port: t.port, path: "/metrics")
        #expect(scrape.status == 200 && scrape.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = scrape.text
        #expect(text.contains("jembatan_connections 3"))
        #expect(
            text.contains(#"jembatan_queue_waiting{service="visa",language="ar"} 1"#)
                || text.contains(#"jembatan_queue_waiting{language="ar",service="visa"} 1"#))
        #expect(text.contains("jembatan_messages_total 1"))
        #expect(text.contains(#"jembatan_errors_total{code="not_found"} 1"#))
        #expect(text.contains("jembatan_commit_batch_size_count") && text.contains("jembatan_commit_seconds_bucket"))
        #expect(!text.contains("Layla") && !text.contains("مرحبا"))  // no people, no text
    }
}
