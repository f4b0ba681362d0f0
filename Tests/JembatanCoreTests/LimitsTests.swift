import Foundation
import Testing

@testable import JembatanCore

/// Rates per connection and per participant, open tickets per applicant, sessions per staff
/// member: each refused with a clear answer, flooding closed with 1008.
@Suite struct LimitsTests {
    func status(_ h: inout Harness, _ c: ConnectionID, _ n: Int) -> [String] {
        (0..<n).compactMap { i in
            h.send(c, ["type": "status", "id": .string("s\(i)"), "availability": "away"]).frames(to: c).first?["type"]?.stringValue
        }
    }

    @Test func aConnectionGetsItsBurstThenItsRateThenIsClosedForFlooding() throws {
        var h = try Harness([.ahmad])
        let c = h.login("o-1")
        #expect(status(&h, c, 40).allSatisfy { $0 == "status" })
        let refused = h.send(c, ["type": "status", "id": "x", "availability": "away"])
        #expect(refused.frames(to: c).first?["code"] == "rate_limited" && refused.frames(to: c).first?["re"] == "x")
        h.now += 1  // 20 more a second
        #expect(status(&h, c, 20).allSatisfy { $0 == "status" })
        // Keeping on regardless: after 20 refusals within 10 s, 1008.
        var refusals = 1
        var closed: CloseCode?
        while closed == nil && refusals < 30 {
            refusals += 1
            closed = h.send(c, ["type": "status", "id": .string("f\(refusals)"), "availability": "away"]).closes(c).first
        }
        #expect(closed == .policy && refusals == 20)
    }

    @Test func aParticipantsConnectionsShareOneBudget() throws {
        var h = try Harness([.ahmad])
        let first = h.login("o-1")
        let second = h.login("o-1")
        #expect(status(&h, first, 40).allSatisfy { $0 == "status" })
        let answers = status(&h, second, 21)
        #expect(answers.prefix(20).allSatisfy { $0 == "status" } && answers.last == "error")  // 60 per participant
    }

    @Test func anApplicantMayWaitInAsManyQueuesAsConfigured() throws {
        var config = BrokerConfiguration()
        config.limits.maxOpenTicketsPerApplicant = 2
        var h = try Harness([.layla], configuration: config)
        let layla = h.login("a-17")
        func ask(_ service: String) -> JSONValue? {
            h.send(layla, ["type": "request", "id": "r", "service": .string(service), "language": "ar"]).frames(to: layla).first?["type"]
        }
        #expect(ask("visa") == "queued" && ask("general") == "queued")
        #expect(ask("registration") == "error")  // a third
        #expect(ask("visa") == "error")  // the same service twice
    }

    @Test func aTokensCapacityIsCappedAndRatesCanBeTurnedOff() throws {
        var config = BrokerConfiguration()
        config.limits.maxSessionsPerStaff = 4
        config.limits.setRate(0)
        let greedy = Identity(id: ParticipantID("o-9"), role: .officer, name: "Greedy", langs: ["en"], capacity: 50)
        var h = try Harness([greedy], configuration: config)
        let c = h.login("o-9")
        #expect(h.broker.staff[ParticipantID("o-9")]?.capacity == 4)
        #expect(status(&h, c, 200).allSatisfy { $0 == "status" })
    }
}
