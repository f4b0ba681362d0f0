import Foundation
import Testing

@testable import JembatanCore

/// Thousands of random arrivals, cancellations, closes, availability changes and
/// disconnects against the core; after every step: no ticket both waiting and assigned, no
/// ticket in two sessions, no staff member over capacity, no ticket lost.
@Suite struct RoutingInvariantTests {
    struct Rng: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    @Test(arguments: [1, 2, 3])
    func invariantsHoldUnderRandomTraffic(seed: UInt64) throws {
        var rng = Rng(state: 0x9E37_79B9_7F4A_7C15 &* seed)
        let languages = ["id", "en", "ar", "zh"]
        let staff = (0..<6).map { index in
            Identity(
                id: ParticipantID("s-\(index)"), role: index % 2 == 0 ? .officer : .counsellor, name: "Staff \(index)",
                langs: [languages[index % 4], languages[(index + 1) % 4]], capacity: 1 + index % 3)
        }
        let applicants = (0..<30).map {
            Identity(id: ParticipantID("a-\($0)"), role: .applicant, name: "A\($0)", langs: [languages[$0 % 4]])
        }
        var h = try Harness(staff + applicants)
        var connections: [ParticipantID: ConnectionID] = [:]
        var everRequested: Set<ParticipantID> = []
        var cancelledOrServed: Set<ParticipantID> = []

        for _ in 0..<1500 {
            h.now += Double(rng.next() % 30)
            let person = (staff + applicants)[Int(rng.next() % UInt64(staff.count + applicants.count))]
            guard let connection = connections[person.id] else {
                connections[person.id] = h.login(person.id.rawValue)
                continue
            }
            switch rng.next() % 6 {
            case 0 where person.role == .applicant:
                let service: Service = rng.next() % 2 == 0 ? .visa : .counselling
                _ = h.send(connection, ["type": "request", "service": .string(service.rawValue), "language": .string(person.langs[0])])
                everRequested.insert(person.id)
            case 1 where person.role == .applicant:
                if let ticket = h.broker.tickets.values.first(where: { $0.applicant == person.id }) {
                    _ = h.send(connection, ["type": "cancel", "ticket": .string(ticket.id.rawValue)])
                    cancelledOrServed.insert(person.id)
                }
            case 2 where person.role.isStaff:
                _ = h.send(connection, ["type": "status", "availability": rng.next() % 3 == 0 ? "away" : "available"])
            case 3:
                if let session = h.broker.sessions.values.first(where: { $0.isMember(person.id) }) {
                    _ = h.send(connection, ["type": "close", "session": .string(session.record.id.rawValue)])
                }
            case 4:
                h.broker.disconnected(connection, now: h.now)
                connections[person.id] = nil
            default:
                break
            }
            for session in h.broker.sessions.values {
                for member in session.members where member.role == .applicant { cancelledOrServed.insert(member.id) }
            }
            try checkInvariants(h.broker)
        }
        // No ticket lost: everyone who asked is still waiting, was served, or cancelled.
        let waiting = Set(h.broker.tickets.values.map(\.applicant))
        #expect(everRequested.subtracting(waiting).subtracting(cancelledOrServed).isEmpty)
        // The run exercised assignment and closing, not just queueing.
        let opened = h.commands.filter { if case .openSession = $0 { true } else { false } }.count
        let closed = h.commands.filter { if case .closeSession = $0 { true } else { false } }.count
        #expect(opened >= 20 && closed >= 10, "opened \(opened), closed \(closed)")
    }

    func checkInvariants(_ broker: Broker) throws {
        var assignedTickets: [TicketID] = []
        for session in broker.sessions.values {
            if let ticket = session.record.ticket { assignedTickets.append(ticket) }
        }
        #expect(Set(assignedTickets).count == assignedTickets.count, "a ticket is in two sessions")
        #expect(Set(assignedTickets).isDisjoint(with: broker.tickets.keys), "a ticket is both waiting and assigned")
        for member in broker.staff.values {
            #expect(member.load <= member.capacity, "over capacity")
            let actual = broker.sessions.values.filter { $0.isMember(member.identity.id) }.count
            #expect(actual == member.load, "load out of step with sessions")
        }
        let waitingApplicants = broker.tickets.values.map(\.applicant)
        #expect(Set(waitingApplicants).count == waitingApplicants.count, "two waiting tickets for one applicant")
    }
}
