import Foundation
import JembatanClient
import JembatanServer
import JembatanStore
import Testing

/// What anyone saw is in the transcript, and a restarted broker carries on from it.
@Suite(.serialized) struct RestartTests {
    @Test func anAckedMessageIsInTheSQLiteFileAndSurvivesARestart() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("jembatan-restart-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let secret = "restart-secret"
        let first = try TestServer(data: data) { $0.jwtSecret = secret }
        let counsellorToken = first.token("c-1", role: "counsellor", name: "Siti", langs: ["ar"])
        let applicantToken = first.token("a-1", role: "applicant", name: "ليلى", langs: ["ar"])
        let (siti, _) = try first.login(counsellorToken)
        siti.send(json: ["type": "status", "availability": "available"])
        let (layla, _) = try first.login(applicantToken)
        layla.send(json: ["type": "request", "service": "counselling", "language": "ar"])
        let session = try #require((try layla.next("session.started")["session"] as? [String: Any])?["id"] as? String)
        for index in 1...3 {
            siti.send(json: ["type": "send", "session": session, "client_msg_id": "m\(index)", "text": "رسالة \(index)"])
            let ack = try siti.next("ack")
            // Commit before acknowledge: the row is already in the file when the ack arrives.
            let store = try SQLiteStore(path: data.appendingPathComponent("jembatan.sqlite").path)
            #expect(try store.lastSeq(session: .init(session)) == ack["seq"] as? Int)
        }
        first.stop()

        let second = try TestServer(data: data) { $0.jwtSecret = secret }
        defer { second.stop() }
        let (back, welcome) = try second.login(applicantToken, resume: [["session": session, "after_seq": 2]])
        let sessions = try #require(welcome["sessions"] as? [[String: Any]])
        #expect(sessions.first?["id"] as? String == session)
        #expect(sessions.first?["last_seq"] as? Int == 4)
        let replayed = [try back.next("message"), try back.next("message")]
        #expect(replayed.map { $0["seq"] as? Int } == [3, 4])
        #expect(replayed.last?["text"] as? String == "رسالة 3")
        // The recovered session takes messages, and the seq carries on without a gap.
        back.send(json: ["type": "send", "session": session, "client_msg_id": "after-restart", "text": "ما زلت هنا"])
        #expect(try back.next("ack")["seq"] as? Int == 5)
        // A retry of a message acked before the restart is answered with its original seq.
        let (sitiAgain, _) = try second.login(counsellorToken)
        sitiAgain.send(json: ["type": "send", "session": session, "client_msg_id": "m1", "text": "رسالة 1"])
        #expect(try sitiAgain.next("ack")["seq"] as? Int == 2)
    }

    @Test func retentionAtStartErasesTheTextOfClosedSessions() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("jembatan-retention-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let first = try TestServer(data: data) { $0.jwtSecret = "retention" }
        let officerToken = first.token("o-1", role: "officer", name: "Ahmad", langs: ["id"])
        let (officer, _) = try first.login(officerToken)
        officer.send(json: ["type": "status", "availability": "available"])
        let (applicant, _) = try first.login(first.token("a-1", role: "applicant", name: "Dewi", langs: ["id"]))
        applicant.send(json: ["type": "request", "service": "visa", "language": "id"])
        let session = try #require((try applicant.next("session.started")["session"] as? [String: Any])?["id"] as? String)
        applicant.send(json: ["type": "send", "session": session, "client_msg_id": "r-1", "text": "NIK 3201234567890001"])
        _ = try applicant.next("ack")
        officer.send(json: ["type": "close", "session": session, "reason": "resolved"])
        _ = try applicant.next("session.closed")
        first.stop()

        // Zero days: everything closed before the start is past retention.
        let second = try TestServer(data: data) {
            $0.jwtSecret = "retention"
            $0.retentionDays = 0
        }
        defer { second.stop() }
        var transcript = ""
        for _ in 0..<50 where !transcript.contains("#2") || transcript.contains("NIK") {
            transcript = try HTTPClient.get(
                port: second.port, path: "/api/sessions/\(session)/transcript?format=text",
                headers: ["Authorization": "Bearer \(officerToken)"]
            ).text
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(transcript.contains("#2"))  // the entry and its seq remain
        #expect(!transcript.contains("NIK 3201234567890001"))
    }
}
