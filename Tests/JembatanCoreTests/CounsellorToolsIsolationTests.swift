import Foundation
import Testing

@testable import JembatanCore

/// Who may use the counsellor tools: every operation tried as every role, in and out of the
/// session; anything not allowed is refused and stores nothing.
@Suite struct CounsellorToolsIsolationTests {
    enum Who: String, CaseIterable {
        case applicant, handler, otherStaff, interpreter, supervisor
    }

    /// Siti (counsellor) handles Layla's Arabic session with Rania interpreting; Budi is a
    /// counsellor elsewhere; Maya supervises.
    func setUp() throws -> (Harness, [Who: ConnectionID], String) {
        var h = try Harness([.layla, .siti, .budi, .rania, .maya])
        let rania = h.login("i-2")
        _ = h.send(rania, ["type": "status", "availability": "available"])
        let siti = h.login("c-1")
        _ = h.send(siti, ["type": "status", "availability": "available"])
        let layla = h.login("a-17")
        let started = h.send(layla, ["type": "request", "service": "counselling", "language": "ar"])
        let session = try #require(started.frames(to: layla, type: "session.started").first?["session"]?.objectValue?["id"]?.stringValue)
        _ = h.send(siti, ["type": "interpreter.request", "session": .string(session), "languages": .array(["ar", "id"])])
        let budi = h.login("c-2")
        let maya = h.login("sv-1")
        return (h, [.applicant: layla, .handler: siti, .otherStaff: budi, .interpreter: rania, .supervisor: maya], session)
    }

    static func operations(_ session: String) -> [(name: String, frame: JSONObject, allowed: Set<Who>)] {
        let s = JSONValue.string(session)
        return [
            ("templates", ["type": "templates"], [.handler, .otherStaff]),
            ("send template", ["type": "send", "session": s, "client_msg_id": "x", "template": "interpreter.offer"], [.handler]),
            ("note", ["type": "note", "session": s, "client_msg_id": "y", "text": "catatan"], [.handler]),
            ("outcome", ["type": "outcome", "session": s, "code": "resolved"], [.handler]),
            ("sessions", ["type": "sessions"], [.handler, .otherStaff, .interpreter]),
            ("notification.seen", ["type": "notification.seen", "ids": .array(["n-1"])], [.applicant]),
            ("notify", ["type": "notify", "notification_id": "n-9", "applicant": "a-17", "key": "application.status_changed"], []),
        ]
    }

    @Test func everyRoleGetsExactlyWhatItMay() throws {
        for who in Who.allCases {
            let (probe, connections, session) = try setUp()
            for operation in Self.operations(session) {
                var h = probe  // each operation against the same starting point
                let c = try #require(connections[who])
                var frame = operation.frame
                frame["id"] = "op"
                let before = h.commands.count
                let answer = h.send(c, frame).frames(to: c).first { $0["re"] == "op" }
                let refused =
                    answer?["type"] == "error" && [JSONValue("forbidden"), JSONValue("bad_request")].contains(answer?["code"] ?? .null)
                if operation.allowed.contains(who) {
                    #expect(
                        answer?["type"] != "error", "\(who.rawValue) should be able to \(operation.name): \(String(describing: answer))")
                } else {
                    #expect(refused, "\(who.rawValue) must not \(operation.name): \(String(describing: answer))")
                    let stored = h.commands[before...].filter { if case .saveParticipant = $0 { false } else { true } }
                    #expect(stored.isEmpty, "\(who.rawValue) \(operation.name) stored something")
                }
            }
        }
    }
}
