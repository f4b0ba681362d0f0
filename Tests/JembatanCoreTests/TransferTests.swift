import Foundation
import Testing

@testable import JembatanCore

/// `transfer`: to a team (front of its queue) or to a named person; the session keeps its id
/// and history, and everyone is told in their own language.
@Suite struct TransferTests {
    /// Layla (Arabic) with Ahmad (officer, capacity 1) in a visa session.
    func sessionWithAhmad(_ h: inout Harness) throws -> (layla: ConnectionID, ahmad: ConnectionID, session: String) {
        let ahmad = h.login("o-1")
        _ = h.send(ahmad, ["type": "status", "availability": "available"])
        let layla = h.login("a-17")
        let actions = h.send(layla, ["type": "request", "service": "visa", "language": "ar"])
        let started = try #require(actions.frames(to: layla, type: "session.started").first)
        let session = try #require(started["session"]?.objectValue?["id"]?.stringValue)
        _ = h.send(layla, ["type": "send", "id": "m", "session": .string(session), "client_msg_id": "u1", "text": "مرحبا"])
        return (layla, ahmad, session)
    }

    @Test func toATeamTheSessionWaitsAtTheFrontAndTheNewOfficerJoinsWithTheHistory() throws {
        var h = try Harness([.layla, .wei, .ahmad, .dewi])
        let (layla, ahmad, session) = try sessionWithAhmad(&h)
        // Someone already waits for English visas; the transfer goes ahead of them.
        let wei = h.login("a-18")
        _ = h.send(wei, ["type": "request", "service": "visa", "language": "en"])
        let actions = h.send(
            ahmad, ["type": "transfer", "id": "t", "session": .string(session), "to": .object(["role": "officer", "language": "en"])])
        #expect(actions.frames(to: ahmad, type: "transferred").first?["re"] == "t")
        #expect(actions.frames(to: ahmad, type: "participant.left").count == 1)
        let told = try #require(actions.frames(to: layla, type: "message").last)
        #expect(told["key"] == "session.transferred")
        #expect(told["text"]?.stringValue?.contains("Ahmad") == true)
        #expect(actions.frames(to: layla, type: "queue.update").first?["position"] == 1)
        #expect(h.broker.staff[ParticipantID("o-1")]?.load == 0)
        #expect(!h.broker.sessions[SessionID(session)]!.isMember(ParticipantID("o-1")))

        // Dewi (English) comes available: she gets the transferred session first, same id.
        let dewi = h.login("o-2")
        let joined = h.send(dewi, ["type": "status", "availability": "available"])
        let started = joined.frames(to: dewi, type: "session.started").map { $0["session"]?.objectValue?["id"]?.stringValue }
        #expect(started.first == session)
        #expect(joined.frames(to: layla, type: "participant.joined").count == 1)
        // Her second place goes to Wei.
        #expect(joined.frames(to: wei, type: "session.started").count == 1)
        // The history is there for her: the message Layla sent to Ahmad.
        let history = h.send(dewi, ["type": "history", "id": "h", "session": .string(session), "after_seq": 0])
        let texts = history.frames(to: dewi, type: "history").first?["messages"]?.arrayValue?.compactMap {
            $0.objectValue?["text"]?.stringValue
        }
        #expect(texts?.contains("مرحبا") == true)
        #expect(h.commands.contains { if case .changeMembers(let c) = $0 { c.assignTicket != nil } else { false } })
    }

    @Test func toANamedOfficerTheyJoinAtOnceAndCapacityIsRespected() throws {
        var h = try Harness([.layla, .ahmad, .dewi])
        let (layla, ahmad, session) = try sessionWithAhmad(&h)
        let dewi = h.login("o-2")
        let actions = h.send(ahmad, ["type": "transfer", "id": "t", "session": .string(session), "to": .object(["participant": "o-2"])])
        #expect(actions.frames(to: ahmad, type: "transferred").count == 1)
        #expect(actions.frames(to: dewi, type: "session.started").count == 1)
        let keys = actions.frames(to: layla, type: "message").compactMap { $0["key"]?.stringValue }
        #expect(keys == ["session.transferred.to", "session.joined"])
        #expect(h.broker.staff[ParticipantID("o-2")]?.load == 1)
        #expect(h.broker.staff[ParticipantID("o-1")]?.load == 0)
        // Dewi cannot hand it back to Ahmad while Ahmad is offline.
        h.broker.disconnected(ahmad, now: h.now)
        let refused = h.send(dewi, ["type": "transfer", "id": "x", "session": .string(session), "to": .object(["participant": "o-1"])])
        #expect(refused.frames(to: dewi, type: "error").first?["code"] == "unavailable")
    }

    @Test func onlyTheSessionsCaseHandlerOrASupervisorTransfers() throws {
        var h = try Harness([.layla, .ahmad, .dewi])
        let (layla, _, session) = try sessionWithAhmad(&h)
        let dewi = h.login("o-2")
        for connection in [layla, dewi] {
            let actions = h.send(
                connection, ["type": "transfer", "id": "x", "session": .string(session), "to": .object(["role": "officer"])])
            #expect(actions.frames(to: connection, type: "error").first?["code"] == "forbidden")
        }
        let bad = h.send(dewi, ["type": "transfer", "id": "y", "session": .string(session), "to": .object(["role": "applicant"])])
        #expect(bad.frames(to: dewi, type: "error").first?["code"] == "bad_request")
    }

    @Test func aTransferredSessionSurvivesARestartAndIsStillJoined() throws {
        var h = try Harness([.layla, .ahmad, .dewi])
        let (_, ahmad, session) = try sessionWithAhmad(&h)
        _ = h.send(ahmad, ["type": "transfer", "session": .string(session), "to": .object(["role": "officer", "language": "en"])])
        let waiting = Array(h.broker.tickets.values)
        #expect(waiting.count == 1 && waiting[0].session == SessionID(session) && waiting[0].role == .officer)
        let live = h.broker.sessions.values.map { RecoveredState.ActiveSession(record: $0.record, members: $0.members) }
        var restarted = try Harness([.layla, .ahmad, .dewi])
        restarted.broker = Broker(
            localizer: try shippedLocalizer(), verifier: TableVerifier(identities: ["o-2": .dewi]), ids: SequentialIDSource(),
            recovered: RecoveredState(queuedTickets: waiting, activeSessions: live))
        let dewi = restarted.login("o-2")
        let actions = restarted.send(dewi, ["type": "status", "availability": "available"])
        #expect(actions.frames(to: dewi, type: "session.started").first?["session"]?.objectValue?["id"]?.stringValue == session)
    }
}
