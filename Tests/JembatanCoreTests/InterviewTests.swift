import Foundation
import Testing

@testable import JembatanCore

/// Interviews booked ahead: an interpreter reserved for the pair, nobody double-booked (the
/// same instant written in any offset is the same instant), and the session opening on time.
@Suite struct InterviewBookingTests {
    /// Ahmad books; Rania (ar, id, en) and Omar (ar, en) are known interpreters. 2026-11-30 is a Monday.
    func harness() throws -> (Harness, ahmad: ConnectionID, layla: ConnectionID) {
        var h = try Harness([.layla, .wei, .ahmad, .siti, .rania, .omar])
        h.now = ISO8601DateFormatter().date(from: "2026-11-28T09:00:00+07:00")!
        for id in ["i-2", "i-3"] { _ = h.login(id) }
        let ahmad = h.login("o-1", locale: "en")
        let layla = h.login("a-17", locale: "ar")
        return (h, ahmad, layla)
    }

    func book(_ h: inout Harness, _ c: ConnectionID, applicant: String = "a-17", at: String, minutes: Int = 60, _ languages: [JSONValue])
        -> [BrokerAction]
    {
        h.send(
            c,
            [
                "type": "interview.schedule", "id": "b", "applicant": .string(applicant), "at": .string(at),
                "duration_min": JSONValue(minutes),
                "languages": .array(languages), "service": "stay_permit",
            ])
    }

    @Test func theInterpreterForThePairIsReservedAndEveryoneIsToldInTheirLanguage() throws {
        var (h, ahmad, layla) = try harness()
        let actions = book(&h, ahmad, at: "2026-11-30T09:00:00+07:00", ["id", "ar"])
        let booked = try #require(actions.frames(to: ahmad, type: "interview.scheduled").first)
        #expect(booked["re"] == "b" && booked["at"] == "2026-11-30T02:00:00.000Z")
        #expect(booked["interpreter"]?.objectValue?["id"] == "i-2")  // Omar speaks no Indonesian
        #expect(booked["text"]?.stringValue?.contains("Monday, November 30, 2026") == true)
        let told = try #require(actions.frames(to: layla, type: "interview.scheduled").first)
        #expect(told["re"] == nil && told["text"]?.stringValue?.contains("٣٠") == true)  // Arabic digits, her locale
        #expect(h.commands.contains { if case .bookInterview = $0 { true } else { false } })
    }

    @Test func nobodyIsDoubleBookedWhateverTheOffsetTheTimeIsWrittenIn() throws {
        var (h, ahmad, _) = try harness()
        _ = book(&h, ahmad, at: "2026-11-30T09:00:00+07:00", ["ar", "id"])
        // The same instant in Jayapura time, for another applicant: Rania is taken, Omar lacks Indonesian.
        let siti = h.login("c-1")
        let clash = book(&h, siti, applicant: "a-18", at: "2026-11-30T11:30:00+09:00", ["ar", "id"])
        #expect(clash.frames(to: siti, type: "error").first?["code"] == "conflict")
        // An Arabic–English interview then goes to Omar.
        let other = book(&h, siti, applicant: "a-18", at: "2026-11-30T11:30:00+09:00", ["en", "ar"])
        #expect(other.frames(to: siti, type: "interview.scheduled").first?["interpreter"]?.objectValue?["id"] == "i-3")
        // Ahmad cannot be in two interviews at once, nor can Layla.
        let twice = book(&h, ahmad, applicant: "a-18", at: "2026-11-30T02:30:00Z", ["ar", "en"])
        #expect(twice.frames(to: ahmad, type: "error").first?["code"] == "conflict")
        // Back to back is fine.
        let after = book(&h, ahmad, at: "2026-11-30T10:00:00+07:00", minutes: 30, ["ar", "id"])
        #expect(after.frames(to: ahmad, type: "interview.scheduled").count == 1)
    }

    @Test func atTheStartTimeTheSessionOpensWithAllThree() throws {
        var (h, ahmad, layla) = try harness()
        _ = book(&h, ahmad, at: "2026-11-28T09:30:00+07:00", minutes: 30, ["ar", "id"])
        h.now += 29 * 60
        #expect(h.settle(h.broker.tick(now: h.now)).frames(to: layla, type: "session.started").isEmpty)
        h.now += 60
        let opened = h.settle(h.broker.tick(now: h.now))
        let summary = try #require(opened.frames(to: layla, type: "session.started").first?["session"]?.objectValue)
        let ids = summary["participants"]?.arrayValue?.compactMap { $0.objectValue?["id"]?.stringValue }
        #expect(ids == ["a-17", "o-1", "i-2"])
        #expect(opened.frames(to: ahmad, type: "session.started").count == 1)
        #expect(opened.frames(to: layla, type: "message").first?["key"] == "interview.opened")
        #expect(h.broker.interviews.isEmpty)
        #expect(h.settle(h.broker.tick(now: h.now + 1)).frames(to: layla, type: "session.started").isEmpty)  // once
    }

    @Test func onlyWhoBookedCancelsAndBadSlotsAreRefused() throws {
        var (h, ahmad, layla) = try harness()
        let booked = book(&h, ahmad, at: "2026-11-30T09:00:00+07:00", ["ar", "id"]).frames(to: ahmad, type: "interview.scheduled").first
        let id = try #require(booked?["interview"]?.stringValue)
        #expect(
            h.send(layla, ["type": "interview.cancel", "id": "x", "interview": .string(id)]).frames(to: layla, type: "error").first?["code"]
                == "forbidden")
        let cancelled = h.send(ahmad, ["type": "interview.cancel", "id": "c", "interview": .string(id)])
        #expect(cancelled.frames(to: ahmad, type: "interview.cancelled").first?["re"] == "c")
        #expect(cancelled.frames(to: layla, type: "interview.cancelled").count == 1)
        #expect(h.broker.interviews.isEmpty)
        #expect(
            book(&h, ahmad, at: "2026-11-27T09:00:00+07:00", ["ar", "id"]).frames(to: ahmad, type: "error").first?["code"] == "bad_request")
        #expect(
            book(&h, layla, applicant: "a-18", at: "2026-11-30T09:00:00+07:00", ["ar", "id"]).frames(to: layla, type: "error").first?[
                "code"] == "forbidden")
    }

    @Test func aSlotOutsideTheServicesHoursIsRefused() throws {
        var config = BrokerConfiguration()
        let week = Dictionary(
            uniqueKeysWithValues: [Weekday.mon, .tue, .wed, .thu, .fri].map { ($0, [OpeningInterval(start: 480, end: 960)]) })
        config.hours = try BusinessHours(timeZone: "Asia/Jakarta", weekly: [.stay_permit: week], holidays: [])
        var h = try Harness([.layla, .ahmad, .rania], configuration: config)
        h.now = ISO8601DateFormatter().date(from: "2026-11-28T09:00:00+07:00")!
        _ = h.login("i-2")
        let ahmad = h.login("o-1")
        let late = book(&h, ahmad, at: "2026-11-30T15:30:00+07:00", minutes: 60, ["ar", "id"])  // runs past 16:00
        #expect(late.frames(to: ahmad, type: "error").first?["code"] == "unavailable")
        #expect(
            book(&h, ahmad, at: "2026-11-30T15:00:00+07:00", minutes: 60, ["ar", "id"]).frames(to: ahmad, type: "interview.scheduled").count
                == 1)
    }
}
