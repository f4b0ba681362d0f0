import Foundation
import Testing

@testable import JembatanCore

/// Fallbacks while waiting: an interpreter when nobody speaks the language, an honest word
/// after the maximum wait, and a message left for staff that is never lost.
@Suite struct WaitingTests {
    @Test func nobodySpeaksTheLanguageSoAnInterpreterJoinsAndTheApplicantIsToldFirst() throws {
        var h = try Harness([.wei, .ahmad, .lin])
        let lin = h.login("i-1")
        _ = h.send(lin, ["type": "status", "availability": "available"])
        let wei = h.login("a-18", locale: "en")
        // Ahmad is online but away: nobody online speaks Mandarin, the interpreter does.
        let ahmad = h.login("o-1")
        let queued = try #require(
            h.send(wei, ["type": "request", "id": "r", "service": "visa", "language": "zh"]).frames(to: wei, type: "queued").first)
        #expect(queued["interpreter"] == true)
        #expect(queued["text"]?.stringValue?.lowercased().contains("interpret") == true)
        let actions = h.send(ahmad, ["type": "status", "availability": "available"])
        let summary = try #require(actions.frames(to: wei, type: "session.started").first?["session"]?.objectValue)
        let roles = summary["participants"]?.arrayValue?.compactMap { $0.objectValue?["role"]?.stringValue }
        #expect(roles?.sorted() == ["applicant", "interpreter", "officer"])
        #expect(actions.frames(to: lin, type: "session.started").count == 1)
        #expect(actions.frames(to: wei, type: "message").contains { $0["key"] == "session.interpreter" })
        #expect(h.broker.staff[ParticipantID("i-1")]?.load == 1)
    }

    @Test func theInterpreterFallbackCanBeTurnedOff() throws {
        var config = BrokerConfiguration()
        config.interpreterFallback = false
        var h = try Harness([.wei, .ahmad, .lin], configuration: config)
        for id in ["i-1", "o-1"] { _ = h.send(h.login(id), ["type": "status", "availability": "available"]) }
        let wei = h.login("a-18")
        let actions = h.send(wei, ["type": "request", "service": "visa", "language": "zh"])
        #expect(actions.frames(to: wei, type: "queued").first?["interpreter"] == nil)
        #expect(actions.frames(to: wei, type: "session.started").isEmpty)
    }

    @Test func afterTheMaximumWaitTheApplicantIsToldOnceAndMayLeaveAMessage() throws {
        var config = BrokerConfiguration()
        config.maxWaitSeconds = 600
        var h = try Harness([.layla, .ahmad], configuration: config)
        let layla = h.login("a-17", locale: "en")
        _ = h.send(layla, ["type": "request", "service": "visa", "language": "ar"])
        h.now += 599
        #expect(h.settle(h.broker.tick(now: h.now)).frames(to: layla).isEmpty)
        h.now += 1
        let told = try #require(h.settle(h.broker.tick(now: h.now)).frames(to: layla, type: "queue.update").first)
        #expect(told["overdue"] == true && told["can_leave_message"] == true)
        #expect(told["text"]?.stringValue?.contains("10") == true)  // minutes waited so far
        h.now += 1
        #expect(h.settle(h.broker.tick(now: h.now)).frames(to: layla).isEmpty)  // once

        let ticket = try #require(h.broker.tickets.values.first).id.rawValue
        let left = h.send(layla, ["type": "leave_message", "id": "l", "ticket": .string(ticket), "text": " أحتاج تمديد التأشيرة "])
        let reply = try #require(left.frames(to: layla, type: "message_left").first)
        #expect(reply["re"] == "l" && reply["message_left"] == true)
        #expect(h.broker.tickets.values.first?.leftMessage?.text == "أحتاج تمديد التأشيرة")
        // She goes away for good; the ticket is kept (grace does not cancel it) ...
        h.broker.disconnected(layla, now: h.now)
        h.now += 3600
        _ = h.settle(h.broker.tick(now: h.now))
        #expect(h.broker.tickets.count == 1)
        // ... and the officer who takes it sees her message first, from her, in the session.
        let ahmad = h.login("o-1")
        let actions = h.send(ahmad, ["type": "status", "availability": "available"])
        let first = try #require(actions.frames(to: ahmad, type: "message").first)
        #expect(first["text"] == "أحتاج تمديد التأشيرة" && first["dir"] == "rtl")
        #expect(first["from"]?.objectValue?["id"] == "a-17")
    }

    @Test func aMessageCanBeLeftWithTheRequestAndOnlyOnce() throws {
        var h = try Harness([.layla])
        let layla = h.login("a-17")
        let empty = h.send(layla, ["type": "request", "id": "e", "service": "general", "language": "ar", "message": "  "])
        #expect(empty.frames(to: layla, type: "error").first?["code"] == "bad_request")
        #expect(h.broker.tickets.isEmpty)
        let queued = h.send(layla, ["type": "request", "service": "visa", "language": "ar", "message": "hello"])
        #expect(queued.frames(to: layla, type: "queued").first?["message_left"] == true)
        let ticket = try #require(h.broker.tickets.values.first).id.rawValue
        let again = h.send(layla, ["type": "leave_message", "id": "l", "ticket": .string(ticket), "text": "again"])
        #expect(again.frames(to: layla, type: "error").first?["code"] == "conflict")
    }
}
