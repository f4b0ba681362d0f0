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

@Suite struct OpeningHoursTests {
    /// Visa desk: weekdays 08:00–16:00 in Jakarta (the office, as the localizer's); 2026-11-28 is a Saturday.
    func harness() throws -> Harness {
        var config = BrokerConfiguration()
        let week = Dictionary(
            uniqueKeysWithValues: [Weekday.mon, .tue, .wed, .thu, .fri].map { ($0, [OpeningInterval(start: 480, end: 960)]) })
        config.hours = try BusinessHours(timeZone: "Asia/Jakarta", weekly: [.visa: week], holidays: ["2026-11-30"])
        var h = try Harness([.layla, .ahmad], configuration: config)
        h.now = ISO8601DateFormatter().date(from: "2026-11-28T10:00:00+07:00")!
        return h
    }

    @Test func outsideHoursTheApplicantIsToldWhenItOpensInTheirLanguage() throws {
        var h = try harness()
        let layla = h.login("a-17", locale: "en")
        let actions = h.send(layla, ["type": "request", "id": "r", "service": "visa", "language": "ar"])
        let error = try #require(actions.frames(to: layla, type: "error").first)
        #expect(error["code"] == "unavailable" && error["re"] == "r")
        // Monday the 30th is a holiday: it opens Tuesday 1 December at 08:00 Jakarta time.
        #expect(error["opens_at"] == "2026-12-01T01:00:00.000Z")
        let text = try #require(error["message"]?.stringValue)
        #expect(text.contains("Tuesday") && text.contains("December") && text.contains("8:00"))
        #expect(h.broker.tickets.isEmpty)
        // Other services keep their own hours (none here: always open).
        #expect(h.send(layla, ["type": "request", "service": "general", "language": "ar"]).frames(to: layla, type: "queued").count == 1)
    }

    @Test func aMessageLeftOutsideHoursIsAcceptedAndWaitsForStaff() throws {
        var h = try harness()
        let layla = h.login("a-17", locale: "ar")
        let actions = h.send(layla, ["type": "request", "service": "visa", "language": "ar", "message": "أحتاج موعدًا"])
        #expect(actions.frames(to: layla, type: "queued").first?["message_left"] == true)
        #expect(h.broker.tickets.values.first?.leftMessage?.text == "أحتاج موعدًا")
    }
}

@Suite struct EstimateUpdateTests {
    @Test func theWaitIsPushedWhenStaffComeOrGoAndWhenHandlingTimesMove() throws {
        let noor = Identity(id: ParticipantID("a-30"), role: .applicant, name: "Noor", langs: ["ar"])
        var h = try Harness([.layla, noor, .ahmad])
        let layla = h.login("a-17")
        _ = h.send(layla, ["type": "request", "service": "visa", "language": "ar"])
        let noorConnection = h.login("a-30")
        _ = h.send(noorConnection, ["type": "request", "service": "visa", "language": "ar"])
        // Ahmad (Arabic officer) connecting or leaving changes who could serve them: both are told.
        let ahmad = h.login("o-1")
        let gone = h.settle(h.broker.disconnected(ahmad, now: h.now))
        #expect(gone.frames(to: layla, type: "queue.update").first?["position"] == 1)
        #expect(gone.frames(to: noorConnection, type: "queue.update").first?["position"] == 2)
        // He takes Layla, goes away, and closes after 20 minutes: the queue's handling time
        // moved, so Noor hears her new estimate though her place did not change.
        let again = h.login("o-1")
        _ = h.send(again, ["type": "status", "availability": "available"])
        _ = h.send(again, ["type": "status", "availability": "away"])
        let session = try #require(h.broker.sessions.values.first).record.id.rawValue
        h.now += 1200
        let closed = h.send(again, ["type": "close", "session": .string(session)])
        let told = try #require(closed.frames(to: noorConnection, type: "queue.update").last)
        #expect(told["position"] == 1 && told["estimated_wait_s"] != nil)
    }
}
