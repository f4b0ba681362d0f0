import Foundation
import Testing

@testable import JembatanCore

extension Identity {
    static let rania = Identity(id: ParticipantID("i-2"), role: .interpreter, name: "Rania", langs: ["ar", "id", "en"], capacity: 1)
    static let omar = Identity(id: ParticipantID("i-3"), role: .interpreter, name: "Omar", langs: ["ar", "en"], capacity: 1)
}

/// Interpreters: requested for a language pair in either direction, queued while none is
/// free, joining with the history (or not), leaving while the session goes on.
@Suite struct InterpreterTests {
    /// Layla (Arabic) with Ahmad (officer: id, ar) in a visa session; Layla said one thing.
    func interview(_ h: inout Harness) throws -> (layla: ConnectionID, ahmad: ConnectionID, session: String) {
        let ahmad = h.login("o-1")
        _ = h.send(ahmad, ["type": "status", "availability": "available"])
        let layla = h.login("a-17")
        let actions = h.send(layla, ["type": "request", "service": "visa", "language": "ar"])
        let session = try #require(actions.frames(to: layla, type: "session.started").first?["session"]?.objectValue?["id"]?.stringValue)
        _ = h.send(layla, ["type": "send", "session": .string(session), "client_msg_id": "l1", "text": "أريد تمديد إقامتي"])
        return (layla, ahmad, session)
    }

    func ask(_ h: inout Harness, _ ahmad: ConnectionID, _ session: String, _ languages: [JSONValue], share: Bool? = nil) -> [BrokerAction] {
        var frame: JSONObject = ["type": "interpreter.request", "id": "i", "session": .string(session), "languages": .array(languages)]
        if let share { frame["share_history"] = .bool(share) }
        return h.send(ahmad, frame)
    }

    @Test func aPairMatchesInEitherDirectionAndTheInterpreterGetsTheHistory() throws {
        var h = try Harness([.layla, .ahmad, .rania, .omar])
        for id in ["i-3", "i-2"] { _ = h.send(h.login(id), ["type": "status", "availability": "available"]) }
        let rania = try #require(h.broker.online[ParticipantID("i-2")]?.first)
        let (layla, ahmad, session) = try interview(&h)
        // Asked as id→ar; Rania speaks ar, id, en; Omar (ar, en) does not fit.
        let actions = ask(&h, ahmad, session, ["id", "ar"])
        #expect(actions.frames(to: ahmad, type: "interpreter.queued").first?["re"] == "i")
        let joined = try #require(actions.frames(to: layla, type: "participant.joined").first?["participant"]?.objectValue)
        #expect(joined["id"] == "i-2" && joined["role"] == "interpreter")
        #expect(actions.frames(to: layla, type: "message").last?["key"] == "session.interpreter")
        #expect(actions.frames(to: rania, type: "session.started").count == 1)
        // The history so far, pushed to her in order: joined, Layla's words, her own arrival.
        let seqs = actions.frames(to: rania, type: "message").compactMap { $0["seq"]?.numberValue.map { Int($0) } }
        #expect(seqs == [1, 2, 3])
        #expect(h.broker.staff[ParticipantID("i-2")]?.load == 1)
        #expect(h.broker.staff[ParticipantID("i-3")]?.load == 0)
    }

    @Test func withoutSharedHistoryTheInterpreterReadsOnlyFromTheirArrival() throws {
        var h = try Harness([.layla, .ahmad, .rania])
        _ = h.send(h.login("i-2"), ["type": "status", "availability": "available"])
        let rania = try #require(h.broker.online[ParticipantID("i-2")]?.first)
        let (_, ahmad, session) = try interview(&h)
        let actions = ask(&h, ahmad, session, ["ar", "id"], share: false)
        #expect(actions.frames(to: rania, type: "message").compactMap { $0["seq"]?.numberValue.map { Int($0) } } == [3])
        let history = h.send(rania, ["type": "history", "id": "h", "session": .string(session), "after_seq": 0])
        let seqs = history.frames(to: rania, type: "history").first?["messages"]?.arrayValue?.compactMap {
            $0.objectValue?["seq"]?.numberValue.map { Int($0) }
        }
        #expect(seqs == [3])
        let back = h.send(rania, ["type": "history", "id": "b", "session": .string(session), "before_seq": 3, "limit": 10])
        #expect(back.frames(to: rania, type: "history").first?["messages"]?.arrayValue?.isEmpty == true)
        #expect(back.frames(to: rania, type: "history").first?["more"] == false)
    }

    @Test func whileNoneIsFreeTheRequestWaitsWithItsPositionAndCanBeCancelled() throws {
        var h = try Harness([.layla, .wei, .ahmad, .siti, .rania])
        let (_, ahmad, session) = try interview(&h)
        let first = ask(&h, ahmad, session, ["id", "ar"])
        let queued = try #require(first.frames(to: ahmad, type: "interpreter.queued").first)
        #expect(queued["position"] == 1 && queued["kind"] == "interpreter")
        #expect(ask(&h, ahmad, session, ["id", "ar"]).frames(to: ahmad, type: "error").first?["code"] == "conflict")
        let ticket = try #require(queued["ticket"]?.stringValue)
        let cancelled = h.send(ahmad, ["type": "cancel", "id": "c", "ticket": .string(ticket)])
        #expect(cancelled.frames(to: ahmad, type: "cancelled").count == 1)
        // Asked again, and an interpreter comes available: she joins.
        _ = ask(&h, ahmad, session, ["ar", "id"])
        let rania = h.login("i-2")
        let joined = h.send(rania, ["type": "status", "availability": "available"])
        #expect(joined.frames(to: ahmad, type: "participant.joined").count == 1)
        #expect(joined.frames(to: rania, type: "session.started").count == 1)
    }

    @Test func anInterpreterWhoLeavesOrStaysAwayLeavesTheSessionGoingOn() throws {
        var config = BrokerConfiguration()
        config.staffGraceSeconds = 60
        var h = try Harness([.layla, .ahmad, .rania], configuration: config)
        let rania = h.login("i-2")
        _ = h.send(rania, ["type": "status", "availability": "available"])
        let (layla, ahmad, session) = try interview(&h)
        _ = ask(&h, ahmad, session, ["ar", "id"])
        let left = h.send(rania, ["type": "leave", "id": "l", "session": .string(session)])
        #expect(left.frames(to: rania, type: "left").first?["re"] == "l")
        #expect(left.frames(to: layla, type: "participant.left").count == 1)
        #expect(left.frames(to: layla, type: "message").last?["key"] == "session.left")
        #expect(h.broker.sessions[SessionID(session)]?.record.state == .active)
        #expect(h.broker.staff[ParticipantID("i-2")]?.load == 0)

        // Asked for again; she joins, then her connection drops for good.
        _ = ask(&h, ahmad, session, ["ar", "id"])
        #expect(h.broker.sessions[SessionID(session)]!.isMember(ParticipantID("i-2")))
        h.broker.disconnected(rania, now: h.now)
        h.now += 61
        let gone = h.settle(h.broker.tick(now: h.now))
        #expect(gone.frames(to: ahmad, type: "participant.left").count == 1)
        #expect(gone.frames(to: layla, type: "session.closed").isEmpty)
        #expect(!h.broker.sessions[SessionID(session)]!.isMember(ParticipantID("i-2")))
    }

    @Test func anInterpreterAtCapacityIsNotGivenASecondSession() throws {
        var h = try Harness([.layla, .wei, .ahmad, .budi, .rania])
        _ = h.send(h.login("i-2"), ["type": "status", "availability": "available"])  // capacity 1
        let (_, ahmad, session) = try interview(&h)
        _ = ask(&h, ahmad, session, ["ar", "id"])
        // Budi's Mandarin counselling session asks for Arabic–Indonesian too: it has to wait.
        let budi = h.login("c-2")
        _ = h.send(budi, ["type": "status", "availability": "available"])
        let wei = h.login("a-18")
        let second = try #require(
            h.send(wei, ["type": "request", "service": "counselling", "language": "zh"]).frames(to: wei, type: "session.started").first?[
                "session"]?.objectValue?["id"]?.stringValue)
        let waiting = ask(&h, budi, second, ["id", "ar"])
        #expect(waiting.frames(to: budi, type: "interpreter.queued").first?["position"] == 1)
        #expect(waiting.frames(to: budi, type: "participant.joined").isEmpty)
        #expect(h.broker.staff[ParticipantID("i-2")]?.load == 1)
        // She leaves the first session: the waiting request gets her.
        let rania = try #require(h.broker.online[ParticipantID("i-2")]?.first)
        let freed = h.send(rania, ["type": "leave", "session": .string(session)])
        #expect(freed.frames(to: budi, type: "participant.joined").count == 1)
    }

    @Test func onlyTheSessionsStaffAskAndPairsMustBeTwoLanguages() throws {
        var h = try Harness([.layla, .ahmad, .siti])
        let (layla, ahmad, session) = try interview(&h)
        let siti = h.login("c-1")
        #expect(ask(&h, layla, session, ["ar", "id"]).frames(to: layla, type: "error").first?["code"] == "forbidden")
        #expect(ask(&h, siti, session, ["ar", "id"]).frames(to: siti, type: "error").first?["code"] == "forbidden")
        #expect(ask(&h, ahmad, session, ["ar", "ar"]).frames(to: ahmad, type: "error").first?["code"] == "bad_request")
        #expect(ask(&h, ahmad, session, ["ar"]).frames(to: ahmad, type: "error").first?["code"] == "bad_request")
    }

    @Test func aTranslationIsLinkedToItsOriginal() throws {
        var h = try Harness([.layla, .ahmad, .rania])
        _ = h.send(h.login("i-2"), ["type": "status", "availability": "available"])
        let rania = try #require(h.broker.online[ParticipantID("i-2")]?.first)
        let (_, ahmad, session) = try interview(&h)
        _ = ask(&h, ahmad, session, ["ar", "id"])
        let sent = h.send(
            rania,
            [
                "type": "send", "session": .string(session), "client_msg_id": "r1", "text": "Saya ingin memperpanjang izin tinggal",
                "lang": "id",
                "translation_of": 2,
            ])
        let message = try #require(sent.frames(to: ahmad, type: "message").last)
        #expect(message["translation_of"] == 2 && message["lang"] == "id")
    }
}
