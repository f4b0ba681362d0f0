import Foundation
import Testing

@testable import JembatanCore

/// The role isolation matrix: every operation of PROTOCOL.md tried by every kind of caller,
/// against a session they are in and one they are not. The table below is the specification;
/// anything not allowed must be refused with an error and store nothing.
@Suite struct RoleIsolationTests {
    enum Caller: String, CaseIterable {
        case applicantIn, applicantOut, staffIn, staffOut, interpreterIn, supervisor
    }

    static let noor = Identity(id: ParticipantID("a-30"), role: .applicant, name: "Noor", langs: ["en"])

    /// Layla's Arabic visa session with Ahmad, Rania interpreting; Wei waits for counselling
    /// in Mandarin (nobody serves it); Noor has a complaint case; Dewi is an officer elsewhere.
    func scene() throws -> (Harness, [Caller: ConnectionID], session: String, ticket: String) {
        var h = try Harness([.layla, .wei, .ahmad, .dewi, .rania, .maya, Self.noor])
        let rania = h.login("i-2")
        _ = h.send(rania, ["type": "status", "availability": "available"])
        let ahmad = h.login("o-1")
        _ = h.send(ahmad, ["type": "status", "availability": "available"])
        let layla = h.login("a-17")
        let started = h.send(layla, ["type": "request", "service": "visa", "language": "ar"])
        let session = try #require(started.frames(to: layla, type: "session.started").first?["session"]?.objectValue?["id"]?.stringValue)
        _ = h.send(ahmad, ["type": "interpreter.request", "session": .string(session), "languages": .array(["ar", "id"])])
        _ = h.send(ahmad, ["type": "status", "availability": "away"])
        let wei = h.login("a-18")
        let queued = h.send(wei, ["type": "request", "service": "counselling", "language": "zh"])
        let ticket = try #require(queued.frames(to: wei, type: "queued").first?["ticket"]?.stringValue)
        _ = h.send(h.login("a-30"), ["type": "request", "service": "complaint", "language": "en"])
        let dewi = h.login("o-2")
        let maya = h.login("sv-1")
        #expect(h.broker.sessions[SessionID(session)]?.activeMembers.count == 3)
        return (
            h, [.applicantIn: layla, .applicantOut: wei, .staffIn: ahmad, .staffOut: dewi, .interpreterIn: rania, .supervisor: maya],
            session, ticket
        )
    }

    static func table(session: String, ticket: String) -> [(String, JSONObject, Set<Caller>)] {
        let s = JSONValue.string(session)
        let tomorrow = Timestamp.format(Date(timeIntervalSince1970: 1_800_000_000 + 86400))
        return [
            ("hello again", ["type": "hello", "token": "a-17"], []),
            ("request", ["type": "request", "service": "general", "language": "en"], [.applicantIn]),
            ("cancel", ["type": "cancel", "ticket": .string(ticket)], [.applicantOut]),
            ("leave_message", ["type": "leave_message", "ticket": .string(ticket), "text": "please"], [.applicantOut]),
            ("status", ["type": "status", "availability": "away"], [.staffIn, .staffOut, .interpreterIn]),
            ("send", ["type": "send", "session": s, "client_msg_id": "m", "text": "hi"], [.applicantIn, .staffIn, .interpreterIn]),
            ("typing", ["type": "typing", "session": s, "on": true], [.applicantIn, .staffIn, .interpreterIn]),
            ("read", ["type": "read", "session": s, "seq": 1], [.applicantIn, .staffIn, .interpreterIn]),
            ("history", ["type": "history", "session": s, "after_seq": 0], [.applicantIn, .staffIn, .interpreterIn, .supervisor]),
            ("interpreter.request", ["type": "interpreter.request", "session": s, "languages": .array(["ar", "en"])], [.staffIn]),
            ("transfer", ["type": "transfer", "session": s, "to": .object(["role": "officer"])], [.staffIn, .supervisor]),
            ("leave", ["type": "leave", "session": s], [.applicantIn, .interpreterIn]),
            ("close", ["type": "close", "session": s], [.applicantIn, .staffIn, .supervisor]),
            ("feedback", ["type": "feedback", "session": s, "rating": 5], []),
            ("templates", ["type": "templates"], [.staffIn, .staffOut]),
            ("send template", ["type": "send", "session": s, "client_msg_id": "t", "template": "interpreter.offer"], [.staffIn]),
            ("note", ["type": "note", "session": s, "client_msg_id": "n", "text": "note"], [.staffIn]),
            ("outcome", ["type": "outcome", "session": s, "code": "resolved"], [.staffIn]),
            ("sessions", ["type": "sessions"], [.staffIn, .staffOut, .interpreterIn]),
            ("queues", ["type": "queues"], [.supervisor]),
            (
                "interview.schedule",
                [
                    "type": "interview.schedule", "applicant": "a-18", "at": .string(tomorrow), "languages": .array(["ar", "id"]),
                ], [.staffIn, .staffOut]
            ),
            ("complaint.update", ["type": "complaint.update", "case": "ADU-2027-000001", "status": "in_progress"], [.staffIn, .staffOut]),
            ("notification.seen", ["type": "notification.seen", "ids": .array(["n-1"])], [.applicantIn, .applicantOut]),
            ("notify", ["type": "notify", "notification_id": "n", "applicant": "a-17", "key": "application.status_changed"], []),
        ]
    }

    @Test func everyOperationAsEveryCaller() throws {
        let (start, callers, session, ticket) = try scene()
        for (name, frame, allowed) in Self.table(session: session, ticket: ticket) {
            for caller in Caller.allCases {
                var h = start  // the same scene for every try
                let connection = try #require(callers[caller])
                var request = frame
                request["id"] = "op"
                let before = h.commands.count
                let frames = h.send(connection, request).frames(to: connection)
                let answer = frames.first { $0["re"] == "op" }
                let refused = answer?["type"] == "error"
                if allowed.contains(caller) {
                    #expect(!refused, "\(caller.rawValue) may \(name): \(String(describing: answer?["detail"]))")
                } else {
                    #expect(refused, "\(caller.rawValue) may not \(name)")
                    let stored = h.commands[before...].filter {
                        if case .saveParticipant = $0 { false } else if case .audit = $0 { false } else { true }
                    }
                    #expect(stored.isEmpty, "\(caller.rawValue) \(name) stored \(stored)")
                }
            }
        }
    }
}
