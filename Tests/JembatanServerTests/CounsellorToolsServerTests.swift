import Foundation
import JembatanClient
import JembatanCore
import JembatanServer
import Testing

/// Counsellor tools over real sockets: a template in two languages, a private note kept out of
/// the applicant's export, and a notification posted by the application system.
@Suite(.serialized) struct CounsellorToolsServerTests {
    @Test func templatesNotesAndNotificationsEndToEnd() throws {
        let t = try TestServer()
        defer { t.stop() }
        let sitiToken = t.token("c-1", role: "counsellor", name: "Siti", langs: ["id", "ar"])
        let (siti, _) = try t.login(sitiToken, locale: "id")
        siti.send(json: ["type": "status", "availability": "available"])
        let laylaToken = t.token("a-17", role: "applicant", name: "Layla", langs: ["ar"])
        let (layla, _) = try t.login(laylaToken, locale: "ar")
        layla.send(json: ["type": "request", "service": "counselling", "language": "ar"])
        let session = try #require((try layla.next("session.started")["session"] as? [String: Any])?["id"] as? String)

        siti.send(json: [
            "type": "send", "id": "t", "session": session, "client_msg_id": "t1", "template": "payment.deadline",
            "args": ["amount": 500000, "deadline": "2026-12-20"],
        ])
        _ = try siti.next("ack")
        var arabic: [String: Any] = [:]
        while arabic["key"] as? String != "payment.deadline" { arabic = try layla.next("message") }
        #expect(arabic["key"] as? String == "payment.deadline" && arabic["lang"] as? String == "ar")
        #expect((arabic["text"] as? String)?.contains("٢٠") == true)

        siti.send(json: ["type": "note", "id": "n", "session": session, "client_msg_id": "n1", "text": "Perlu cek sponsor"])
        _ = try siti.next("ack")
        layla.send(json: ["type": "send", "id": "l", "session": session, "client_msg_id": "l1", "text": "شكرا"])
        _ = try layla.next("ack")

        // The applicant's export leaves the note out; the counsellor's has it.
        func transcript(_ token: String) throws -> String {
            try HTTPClient.get(
                port: t.port, path: "/api/sessions/\(session)/transcript?format=text", headers: ["Authorization": "Bearer \(token)"]
            ).text
        }
        #expect(!(try transcript(laylaToken)).contains("Perlu cek sponsor"))
        #expect(try transcript(sitiToken).contains("Perlu cek sponsor"))

        // The application system tells Layla her application moved on; again with the same id: nothing new.
        let system = ["Authorization": "Bearer \(t.token("portal", role: "system", name: "Portal", langs: ["en"]))"]
        let body = Array(
            try JSONSerialization.data(withJSONObject: [
                "id": "st-42", "applicant": "a-17", "key": "application.status_changed",
                "args": ["reference": "KITAS-42", "status": "ready_for_collection"],
            ]))
        let posted = try HTTPClient.post(port: t.port, path: "/api/notifications", headers: system, body: body)
        #expect(posted.status == 201)
        let pushed = try layla.next("notification")
        #expect(pushed["id"] as? String == "st-42" && (pushed["text"] as? String)?.contains("جاهز للاستلام") == true)
        let again = try HTTPClient.post(port: t.port, path: "/api/notifications", headers: system, body: body)
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(again.body)) as? [String: Any])
        #expect(answer["duplicate"] as? Bool == true)
        let staffTry = try HTTPClient.post(
            port: t.port, path: "/api/notifications", headers: ["Authorization": "Bearer \(sitiToken)"], body: body)
        #expect(staffTry.status == 403)
    }
}
