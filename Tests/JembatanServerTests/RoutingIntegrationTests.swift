import Foundation
import JembatanClient
import JembatanCore
import JembatanServer
import Testing

/// Routing over real WebSockets: several staff and languages, a transfer that keeps the
/// session's history, an interpreter when nobody speaks the language, and a message left.
@Suite(.serialized) struct RoutingIntegrationTests {
    @Test func staffInSeveralLanguagesTransferAndInterpreterFallback() throws {
        let t = try TestServer()
        defer { t.stop() }
        let (ahmad, _) = try t.login(t.token("o-1", role: "officer", name: "Ahmad", langs: ["id", "ar"], capacity: 2))
        let (dewi, _) = try t.login(t.token("o-2", role: "officer", name: "Dewi", langs: ["id", "en"], capacity: 1))
        let (lin, _) = try t.login(t.token("i-1", role: "interpreter", name: "Lin", langs: ["zh", "id"]))
        for staff in [ahmad, lin] {
            staff.send(json: ["type": "status", "id": "s", "availability": "available"])
            _ = try staff.next("status")
        }

        // Arabic visa → Ahmad, the only Arabic speaker.
        let (layla, _) = try t.login(t.token("a-17", role: "applicant", name: "Layla", langs: ["ar", "en"]), locale: "en")
        layla.send(json: ["type": "request", "service": "visa", "language": "ar"])
        let session = try #require((try layla.next("session.started")["session"] as? [String: Any])?["id"] as? String)
        _ = try ahmad.next("session.started")
        layla.send(json: ["type": "send", "id": "m", "session": session, "client_msg_id": "l-1", "text": "Hello, I need help"])
        _ = try layla.next("ack")

        // Ahmad hands her to an English-speaking officer; Dewi comes available and joins the same session.
        ahmad.send(json: ["type": "transfer", "id": "t", "session": session, "to": ["role": "officer", "language": "en"]])
        _ = try ahmad.next("transferred")
        #expect(try layla.next("queue.update")["position"] as? Int == 1)
        dewi.send(json: ["type": "status", "availability": "available"])
        let joined = try dewi.next("session.started")
        #expect((joined["session"] as? [String: Any])?["id"] as? String == session)
        dewi.send(json: ["type": "history", "id": "h", "session": session, "after_seq": 0])
        let texts = (try dewi.next("history")["messages"] as? [[String: Any]])?.compactMap { $0["text"] as? String } ?? []
        #expect(texts.contains("Hello, I need help"))

        // Mandarin: no officer speaks it, Lin interprets between Mandarin and Indonesian.
        let (wei, _) = try t.login(t.token("a-18", role: "applicant", name: "Wei", langs: ["zh"]), locale: "zh")
        wei.send(json: ["type": "request", "service": "general", "language": "zh"])
        let started = try wei.next("session.started")
        let roles = ((started["session"] as? [String: Any])?["participants"] as? [[String: Any]])?.compactMap { $0["role"] as? String }
        #expect(roles?.sorted() == ["applicant", "interpreter", "officer"])
        _ = try lin.next("session.started")

        // After a restart of the broker the transferred session is still Dewi's.
        t.stop()
        let again = try TestServer(data: t.data)
        defer { again.stop() }
        let (_, welcome) = try again.login(again.token("o-2", role: "officer", name: "Dewi", langs: ["id", "en"], capacity: 1))
        let sessions = (welcome["sessions"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(sessions == [session])
    }
}
