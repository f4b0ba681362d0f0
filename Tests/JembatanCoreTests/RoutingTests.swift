import Foundation
import Testing

@testable import JembatanCore

@Suite struct RoutingTests {
    func available(_ h: inout Harness, _ ids: String...) -> [String: ConnectionID] {
        var connections: [String: ConnectionID] = [:]
        for id in ids {
            let c = h.login(id)
            _ = h.send(c, ["type": "status", "availability": "available"])
            connections[id] = c
        }
        return connections
    }

    func startedSessions(_ actions: [BrokerAction], for connection: ConnectionID) -> Int {
        actions.frames(to: connection, type: "session.started").count
    }

    @Test func onlyStaffWhoSpeakTheLanguageAndServeTheServiceAreAssigned() throws {
        var h = try Harness([.wei, .siti, .ahmad])
        let staff = available(&h, "c-1", "o-1")
        let applicant = h.login("a-18")
        // Counselling in Mandarin: Siti counsels but speaks no Mandarin; Ahmad is an officer.
        let actions = h.send(applicant, ["type": "request", "service": "counselling", "language": "zh-Hans"])
        #expect(actions.frames(to: applicant, type: "queued").count == 1)
        #expect(startedSessions(actions, for: staff["c-1"]!) == 0)
        #expect(startedSessions(actions, for: staff["o-1"]!) == 0)
    }

    @Test func aMatchingStaffMemberWhoBecomesAvailableGetsTheWaitingTicket() throws {
        var h = try Harness([.wei, .budi])
        let applicant = h.login("a-18")
        _ = h.send(applicant, ["type": "request", "service": "counselling", "language": "zh-CN"])
        let budi = h.login("c-2")
        let actions = h.send(budi, ["type": "status", "availability": "available"])
        #expect(startedSessions(actions, for: budi) == 1)
        #expect(startedSessions(actions, for: applicant) == 1)
    }

    @Test func capacityIsNeverExceeded() throws {
        let applicants = (1...3).map { Identity(id: ParticipantID("a-\($0)"), role: .applicant, name: "A\($0)", langs: ["ar"]) }
        var h = try Harness(applicants + [.ahmad])
        let ahmad = available(&h, "o-1")["o-1"]!
        var started = 0
        for applicant in applicants {
            let c = h.login(applicant.id.rawValue)
            started += startedSessions(h.send(c, ["type": "request", "service": "visa", "language": "ar"]), for: ahmad)
        }
        #expect(started == 1)  // Ahmad's capacity is 1
        #expect(h.broker.staff[ParticipantID("o-1")]?.load == 1)
    }

    @Test func theLeastLoadedThenLongestIdleStaffMemberIsChosen() throws {
        let applicants = (1...3).map { Identity(id: ParticipantID("a-\($0)"), role: .applicant, name: "A\($0)", langs: ["id"]) }
        var h = try Harness(applicants + [.siti, .budi])
        let staff = available(&h, "c-1", "c-2")
        var order: [String] = []
        for applicant in applicants {
            let c = h.login(applicant.id.rawValue)
            h.now += 60
            let actions = h.send(c, ["type": "request", "service": "counselling", "language": "id"])
            for (id, connection) in staff where startedSessions(actions, for: connection) > 0 { order.append(id) }
        }
        // Ties on load go to the one idle longest: c-1 (never assigned, id order), then c-2,
        // then c-1 again (both have one session; c-1 was assigned earlier).
        #expect(order == ["c-1", "c-2", "c-1"])
    }

    @Test func queuePositionsFollowPriorityThenWaitingTimeAndUpdate() throws {
        let applicants = (1...3).map { Identity(id: ParticipantID("a-\($0)"), role: .applicant, name: "A\($0)", langs: ["en"]) }
        var h = try Harness(applicants)
        var connections: [ConnectionID] = []
        for (i, applicant) in applicants.enumerated() {
            let c = h.login(applicant.id.rawValue, locale: "en")
            h.now += 10
            let actions = h.send(c, ["type": "request", "service": "visa", "language": "en"])
            #expect(actions.frames(to: c, type: "queued").first?["position"] == JSONValue(i + 1))
            connections.append(c)
        }
        let ticket = try #require(h.broker.tickets.values.first { $0.applicant.rawValue == "a-1" })
        let cancel = h.send(connections[0], ["type": "cancel", "ticket": .string(ticket.id.rawValue)])
        #expect(cancel.frames(to: connections[0], type: "cancelled").count == 1)
        #expect(cancel.frames(to: connections[1], type: "queue.update").first?["position"] == 1)
        #expect(cancel.frames(to: connections[2], type: "queue.update").first?["position"] == 2)
    }

    @Test func aSecondOpenTicketIsAConflict() throws {
        var h = try Harness([.layla])
        let c = h.login("a-17")
        _ = h.send(c, ["type": "request", "service": "visa", "language": "ar"])
        let again = h.send(c, ["type": "request", "id": "x", "service": "general", "language": "ar"])
        #expect(again.frames(to: c, type: "error").first?["code"] == "conflict")
    }

    @Test func onlyApplicantsRequestAndOnlyStaffSetStatus() throws {
        var h = try Harness([.layla, .siti])
        let staff = h.login("c-1")
        let applicant = h.login("a-17")
        #expect(
            h.send(staff, ["type": "request", "service": "visa", "language": "id"]).frames(to: staff, type: "error").first?["code"]
                == "forbidden")
        #expect(
            h.send(applicant, ["type": "status", "availability": "available"]).frames(to: applicant, type: "error").first?["code"]
                == "forbidden")
    }
}

@Suite struct QueueOverviewTests {
    @Test func supervisorsSeeQueueLengthsWaitsAndStaff() throws {
        var h = try Harness([.layla, .wei, .siti, .maya])
        let siti = h.login("c-1")
        _ = h.send(siti, ["type": "status", "availability": "away"])
        let layla = h.login("a-17")
        _ = h.send(layla, ["type": "request", "service": "counselling", "language": "ar"])
        h.now += 90
        let supervisor = h.login("sv-1")
        let reply = try #require(h.send(supervisor, ["type": "queues", "id": "q"]).frames(to: supervisor, type: "queues").first)
        let rows = (reply["queues"]?.arrayValue ?? []).compactMap { $0.objectValue }
        let arabic = try #require(rows.first { $0["service"] == "counselling" && $0["language"] == "ar" })
        #expect(arabic["waiting"] == 1)
        #expect(arabic["oldest_wait_s"] == 90)
        #expect(arabic["staff_online"] == 1)
        #expect(arabic["staff_available"] == 0)
        // Others may not look.
        #expect(h.send(layla, ["type": "queues", "id": "x"]).frames(to: layla, type: "error").first?["code"] == "forbidden")
    }
}

@Suite struct GracePeriodTests {
    @Test func aStaffMemberGonePastTheGraceHandsTheApplicantToTheFrontOfTheQueue() throws {
        var config = BrokerConfiguration()
        config.staffGraceSeconds = 60
        let wei2 = Identity(id: ParticipantID("a-19"), role: .applicant, name: "李娜", langs: ["zh"])
        var h = try Harness([.wei, wei2, .budi, .siti], configuration: config)
        let budi = h.login("c-2")
        _ = h.send(budi, ["type": "status", "availability": "available"])
        let wei = h.login("a-18")
        _ = h.send(wei, ["type": "request", "service": "counselling", "language": "zh"])
        #expect(h.broker.sessions.count == 1)
        h.now += 10
        let later = h.login("a-19")
        _ = h.send(later, ["type": "request", "service": "counselling", "language": "zh"])  // Budi takes this one too
        h.broker.disconnected(budi, now: h.now)
        h.now += 30
        #expect(h.settle(h.broker.tick(now: h.now)).isEmpty)  // within the grace: nothing happens
        h.now += 31
        let actions = h.settle(h.broker.tick(now: h.now))
        let closed = try #require(actions.frames(to: wei, type: "session.closed").first)
        #expect(closed["reason"] == "transferred")
        let queued = try #require(actions.frames(to: wei, type: "queued").first)
        #expect(queued["position"] == 1)  // ahead of anyone who came later
        #expect(h.broker.tickets.values.first { $0.applicant == ParticipantID("a-18") }?.priority == 1)
    }

    @Test func anApplicantKeepsTheirPlaceForTheGraceThenLosesIt() throws {
        var config = BrokerConfiguration()
        config.applicantGraceSeconds = 120
        var h = try Harness([.layla], configuration: config)
        let layla = h.login("a-17")
        _ = h.send(layla, ["type": "request", "service": "visa", "language": "ar"])
        h.broker.disconnected(layla, now: h.now)
        h.now += 100
        _ = h.settle(h.broker.tick(now: h.now))
        #expect(h.broker.tickets.count == 1)
        // Back within the grace: the place is kept, and the clock stops.
        let again = h.login("a-17")
        h.now += 500
        _ = h.settle(h.broker.tick(now: h.now))
        #expect(h.broker.tickets.count == 1)
        h.broker.disconnected(again, now: h.now)
        h.now += 121
        _ = h.settle(h.broker.tick(now: h.now))
        #expect(h.broker.tickets.isEmpty)
        #expect(h.commands.contains { if case .updateTicket(_, .cancelled) = $0 { true } else { false } })
    }
}

@Suite struct RecoveredGraceTests {
    @Test func afterARestartTheGraceStartsAtTheFirstTick() throws {
        var config = BrokerConfiguration()
        config.applicantGraceSeconds = 120
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let ticket = TicketRecord(
            id: TicketID("t-1"), applicant: ParticipantID("a-17"), service: .visa, language: "ar", note: nil, createdAt: start)
        var broker = Broker(
            configuration: config, localizer: try shippedLocalizer(), verifier: TableVerifier(identities: [:]),
            recovered: RecoveredState(queuedTickets: [ticket]))
        _ = broker.tick(now: start.addingTimeInterval(1000))  // the first tick after a long downtime
        #expect(broker.tickets.count == 1)
        let actions = broker.tick(now: start.addingTimeInterval(1121))
        #expect(broker.tickets.isEmpty)
        #expect(actions.contains { if case .store(_, .updateTicket(TicketID("t-1"), .cancelled)) = $0 { true } else { false } })
    }
}
