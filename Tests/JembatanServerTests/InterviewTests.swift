import Foundation
import JembatanClient
import JembatanCore
import JembatanServer
import Testing

/// A whole interview over real WebSockets: an Arabic-speaking applicant, an Indonesian-speaking
/// officer and an interpreter (ar, id) whose translations are linked and exported in pairs.
@Suite(.serialized) struct InterviewTests {
    @Test func anInterpretedInterviewEndToEnd() throws {
        let t = try TestServer()
        defer { t.stop() }
        let (ahmad, _) = try t.login(t.token("o-1", role: "officer", name: "Ahmad", langs: ["id"]), locale: "id")
        ahmad.send(json: ["type": "status", "availability": "available"])
        let (rania, _) = try t.login(t.token("i-1", role: "interpreter", name: "Rania", langs: ["ar", "id", "en"]), locale: "en")
        rania.send(json: ["type": "status", "id": "s", "availability": "available"])
        _ = try rania.next("status")

        // Nobody online speaks Arabic: the interview opens with the interpreter already in it.
        let (layla, _) = try t.login(t.token("a-17", role: "applicant", name: "ليلى", langs: ["ar"]), locale: "ar")
        layla.send(json: ["type": "request", "service": "stay_permit", "language": "ar"])
        #expect(try layla.next("queued")["interpreter"] as? Bool == true)
        let started = try layla.next("session.started")
        let session = try #require((started["session"] as? [String: Any])?["id"] as? String)
        _ = try rania.next("session.started")

        // She leaves; the officer asks for another interpreter with the pair the other way round.
        rania.send(json: ["type": "leave", "id": "l", "session": session])
        _ = try rania.next("left")
        #expect(try layla.next("participant.left")["session"] as? String == session)
        rania.send(json: ["type": "status", "availability": "available"])
        ahmad.send(json: ["type": "interpreter.request", "id": "i", "session": session, "languages": ["id", "ar"]])
        _ = try ahmad.next("interpreter.queued")
        let joined = try layla.next("participant.joined")
        #expect((joined["participant"] as? [String: Any])?["role"] as? String == "interpreter")

        layla.send(json: ["type": "send", "id": "1", "session": session, "client_msg_id": "a1", "text": "أريد تمديد إقامتي"])
        let original = try #require(try layla.next("ack")["seq"] as? Int)
        rania.send(json: [
            "type": "send", "id": "2", "session": session, "client_msg_id": "r1", "text": "Saya ingin memperpanjang izin tinggal saya",
            "lang": "id", "translation_of": original,
        ])
        _ = try rania.next("ack")
        var translated: [String: Any] = [:]
        while translated["translation_of"] == nil { translated = try ahmad.next("message") }
        #expect(translated["translation_of"] as? Int == original)
        #expect(translated["lang"] as? String == "id")

        // The officer's export shows the translation beside its original, in each format.
        let token = t.token("o-1", role: "officer", name: "Ahmad", langs: ["id"])
        let auth = ["Authorization": "Bearer \(token)"]
        let text = try HTTPClient.get(port: t.port, path: "/api/sessions/\(session)/transcript?format=text", headers: auth).text
        let lines = text.split(separator: "\n").map(String.init)
        let at = try #require(lines.firstIndex { $0.contains("أريد تمديد إقامتي") })
        #expect(lines[at + 1].hasPrefix("    ↳ [id] ") && lines[at + 1].contains("memperpanjang"))
        let json = try HTTPClient.get(port: t.port, path: "/api/sessions/\(session)/transcript", headers: auth)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(json.body)) as? [String: Any])
        let messages = body["messages"] as? [[String: Any]] ?? []
        #expect(messages.first { $0["seq"] as? Int == original }?["translations"] as? [Int] == [original + 1])
        let html = try HTTPClient.get(port: t.port, path: "/api/sessions/\(session)/transcript?format=html", headers: auth).text
        #expect(html.contains("memperpanjang"))
        let members = (body["participants"] as? [[String: Any]])?.compactMap { $0["role"] as? String } ?? []
        #expect(members.contains("interpreter"))
    }
}

@Suite(.serialized) struct ScheduledInterviewTests {
    @Test func bookedOverHTTPItOpensForAllThreeAtItsTime() throws {
        let t = try TestServer()
        defer { t.stop() }
        // The interpreter is known to the broker once they have connected.
        let (rania, _) = try t.login(t.token("i-1", role: "interpreter", name: "Rania", langs: ["ar", "id"]))
        let (layla, _) = try t.login(t.token("a-17", role: "applicant", name: "Layla", langs: ["ar"]), locale: "ar")
        let (ahmad, _) = try t.login(t.token("o-1", role: "officer", name: "Ahmad", langs: ["id"]), locale: "id")
        let officer = ["Authorization": "Bearer \(t.token("o-1", role: "officer", name: "Ahmad", langs: ["id"]))"]
        let start = Date().addingTimeInterval(2)
        let body: [String: Any] = [
            "applicant": "a-17", "at": Timestamp.format(start), "duration_min": 30, "languages": ["ar", "id"], "service": "stay_permit",
        ]
        let post = try HTTPClient.post(
            port: t.port, path: "/api/interviews?locale=id", headers: officer, body: Array(try JSONSerialization.data(withJSONObject: body))
        )
        #expect(post.status == 201)
        let booked = try #require(try JSONSerialization.jsonObject(with: Data(post.body)) as? [String: Any])
        #expect(booked["type"] as? String == "interview.scheduled")
        #expect((booked["interpreter"] as? [String: Any])?["id"] as? String == "i-1")
        #expect((booked["text"] as? String)?.contains("Wawancara") == true)
        #expect(try layla.next("interview.scheduled")["interview"] as? String == booked["interview"] as? String)

        // The same slot again: the interpreter and the people are taken → 409.
        let again = try HTTPClient.post(
            port: t.port, path: "/api/interviews", headers: officer, body: Array(try JSONSerialization.data(withJSONObject: body)))
        #expect(again.status == 409)
        let anonymous = try HTTPClient.post(port: t.port, path: "/api/interviews", body: Array("{}".utf8))
        #expect(anonymous.status == 401)

        // At the start time (the broker ticks every second) the session opens for all three.
        for client in [layla, ahmad, rania] {
            let started = try client.next("session.started", timeout: .seconds(6))
            let ids = ((started["session"] as? [String: Any])?["participants"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(ids == ["a-17", "o-1", "i-1"])
        }
    }
}
