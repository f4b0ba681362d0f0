import Foundation
import Testing

@testable import JembatanCore

/// Complaints as cases and ratings after sessions.
@Suite struct ComplaintTests {
    @Test func aComplaintBecomesACaseWithADeadlineAndNeverReachesWhomItIsAbout() throws {
        var config = BrokerConfiguration()
        config.complaintAnswerWorkingDays = 3
        // Friday 2026-12-04; Monday the 7th is a holiday: three working days → Thursday the 10th.
        config.hours = try BusinessHours(timeZone: "Asia/Jakarta", weekly: [:], holidays: ["2026-12-07"])
        var h = try Harness([.layla, .ahmad, .dewi], configuration: config)
        h.now = ISO8601DateFormatter().date(from: "2026-12-04T10:00:00+07:00")!
        let ahmad = h.login("o-1")
        _ = h.send(ahmad, ["type": "status", "availability": "available"])
        let layla = h.login("a-17", locale: "en")
        let actions = h.send(layla, ["type": "request", "id": "c", "service": "complaint", "language": "ar", "about": "o-1"])
        let queued = try #require(actions.frames(to: layla, type: "queued").first)
        #expect(queued["case"] == "ADU-2027-000001" && queued["first_answer_by"] == "2026-12-10")
        #expect(queued["case_text"]?.stringValue?.contains("Thursday, December 10, 2026") == true)
        // Ahmad is free and speaks Arabic, but the complaint is about him: it waits.
        #expect(actions.frames(to: ahmad, type: "session.started").isEmpty)
        #expect(h.broker.tickets.values.first?.excludedStaff == ParticipantID("o-1"))
        let dewi = h.login("o-2")
        _ = h.send(dewi, ["type": "status", "availability": "available"])
        #expect(h.broker.tickets.count == 1)  // Dewi speaks no Arabic
        // The team moves the case on; Layla hears it in her language; she may not do it herself.
        let update = h.send(dewi, ["type": "complaint.update", "id": "u", "case": "ADU-2027-000001", "status": "in_progress"])
        #expect(update.frames(to: layla, type: "complaint.update").first?["text"]?.stringValue?.contains("being handled") == true)
        #expect(update.frames(to: dewi, type: "complaint.update").first?["re"] == "u")
        let forged = h.send(layla, ["type": "complaint.update", "id": "x", "case": "ADU-2027-000001", "status": "resolved"])
        #expect(forged.frames(to: layla, type: "error").first?["code"] == "forbidden")
    }

    @Test func aComplaintSessionIsNeverTransferredToWhomItIsAbout() throws {
        var h = try Harness([.layla, .ahmad, .dewi])
        let dewi = h.login("o-2")
        _ = h.send(dewi, ["type": "status", "availability": "available"])
        let layla = h.login("a-17")
        let actions = h.send(layla, ["type": "request", "service": "complaint", "language": "en", "about": "o-1"])
        let session = try #require(actions.frames(to: dewi, type: "session.started").first?["session"]?.objectValue?["id"]?.stringValue)
        _ = h.login("o-1")
        let refused = h.send(dewi, ["type": "transfer", "id": "t", "session": .string(session), "to": .object(["participant": "o-1"])])
        #expect(refused.frames(to: dewi, type: "error").first?["code"] == "conflict")
    }

    @Test(arguments: [false, true])
    func staffSeeARatingOnlyWhenConfigured(visible: Bool) throws {
        var config = BrokerConfiguration()
        config.ratingsVisibleToStaff = visible
        var h = try Harness([.layla, .ahmad], configuration: config)
        let ahmad = h.login("o-1")
        _ = h.send(ahmad, ["type": "status", "availability": "available"])
        let layla = h.login("a-17")
        let started = h.send(layla, ["type": "request", "service": "visa", "language": "ar"])
        let session = try #require(started.frames(to: layla, type: "session.started").first?["session"]?.objectValue?["id"]?.stringValue)
        let closed = h.send(ahmad, ["type": "close", "session": .string(session)])
        #expect(closed.frames(to: layla, type: "session.closed").first?["feedback_until"] != nil)
        let rated = h.send(layla, ["type": "feedback", "id": "f", "session": .string(session), "rating": 2])
        #expect(rated.frames(to: ahmad, type: "feedback.received").count == (visible ? 1 : 0))
    }

    @Test func ratingsAreTheApplicantsAndBetweenOneAndFive() throws {
        var h = try Harness([.layla, .ahmad])
        let layla = h.login("a-17")
        let ahmad = h.login("o-1")
        #expect(
            h.send(layla, ["type": "feedback", "id": "f", "session": "s-1", "rating": 6]).frames(to: layla, type: "error").first?["code"]
                == "bad_request")
        #expect(
            h.send(ahmad, ["type": "feedback", "id": "f", "session": "s-1", "rating": 5]).frames(to: ahmad, type: "error").first?["code"]
                == "forbidden")
        let ok = h.send(layla, ["type": "feedback", "id": "f", "session": "s-1", "rating": 4, "comment": "Cepat dan jelas"])
        #expect(ok.frames(to: layla, type: "feedback").first?["re"] == "f")
        #expect(
            h.commands.contains {
                if case .submitFeedback(SessionID("s-1"), _, 4, "Cepat dan jelas", _, 86400) = $0 { true } else { false }
            })
    }
}
