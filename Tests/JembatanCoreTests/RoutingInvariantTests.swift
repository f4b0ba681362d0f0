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
        let roles: [Role] = [.officer, .counsellor, .officer, .counsellor, .officer, .counsellor, .interpreter, .interpreter]
        let staff = roles.enumerated().map { index, role in
            Identity(
                id: ParticipantID("s-\(index)"), role: role, name: "Staff \(index)",
                langs: [languages[index % 4], languages[(index + 1) % 4]], capacity: 1 + index % 3)
        }
        let applicants = (0..<30).map {
            Identity(id: ParticipantID("a-\($0)"), role: .applicant, name: "A\($0)", langs: [languages[$0 % 4]])
        }
        var h = try Harness(staff + applicants)
        var connections: [ParticipantID: ConnectionID] = [:]
        var everRequested: Set<ParticipantID> = []
        var cancelledOrServed: Set<ParticipantID> = []

        for step in 0..<2000 {
            if step % 25 == 0 { _ = h.settle(h.broker.tick(now: h.now)) }
            h.now += Double(rng.next() % 30)
            let person = (staff + applicants)[Int(rng.next() % UInt64(staff.count + applicants.count))]
            guard let connection = connections[person.id] else {
                connections[person.id] = h.login(person.id.rawValue)
                continue
            }
            switch rng.next() % 8 {
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
            case 5 where person.role == .officer || person.role == .counsellor:
                if let session = h.broker.sessions.values.first(where: { $0.isMember(person.id) }) {
                    let other = staff[Int(rng.next() % UInt64(staff.count))]
                    let target: JSONValue =
                        rng.next() % 2 == 0
                        ? .object(["participant": .string(other.id.rawValue)])
                        : .object([
                            "role": rng.next() % 2 == 0 ? "officer" : "counsellor", "language": .string(languages[Int(rng.next() % 4)]),
                        ])
                    _ = h.send(connection, ["type": "transfer", "session": .string(session.record.id.rawValue), "to": target])
                }
            case 6 where person.role == .applicant:
                if let ticket = h.broker.tickets.values.first(where: { $0.applicant == person.id }) {
                    _ = h.send(connection, ["type": "leave_message", "ticket": .string(ticket.id.rawValue), "text": "please call me"])
                }
            default:
                break
            }
            for session in h.broker.sessions.values {
                for member in session.members where member.role == .applicant { cancelledOrServed.insert(member.id) }
            }
            try checkInvariants(h.broker)
        }
        // No ticket lost: everyone who asked is still waiting, was served, or cancelled (by
        // themselves or because they stayed away past their grace).
        var owners: [TicketID: ParticipantID] = [:]
        for command in h.commands {
            if case .openTicket(let ticket) = command { owners[ticket.id] = ticket.applicant }
            if case .updateTicket(let id, .cancelled) = command, let owner = owners[id] { cancelledOrServed.insert(owner) }
        }
        let waiting = Set(h.broker.tickets.values.map(\.applicant))
        #expect(everRequested.subtracting(waiting).subtracting(cancelledOrServed).isEmpty)
        // The run exercised assignment and closing, not just queueing.
        let opened = h.commands.filter { if case .openSession = $0 { true } else { false } }.count
        let closed = h.commands.filter { if case .closeSession = $0 { true } else { false } }.count
        let transfers = h.commands.filter { if case .changeMembers = $0 { true } else { false } }.count
        #expect(opened >= 20 && closed >= 10 && transfers >= 5, "opened \(opened), closed \(closed), transfers \(transfers)")
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
        // One waiting ticket per applicant and service (a transferred session's ticket aside).
        let waitingApplicants = broker.tickets.values.filter { $0.session == nil }.map { "\($0.applicant)/\($0.service)" }
        #expect(Set(waitingApplicants).count == waitingApplicants.count, "two waiting tickets for one applicant and service")
        // The indexes agree with the state they summarise.
        let free = broker.staff.values.filter { $0.availability == .available && $0.hasRoom && broker.online[$0.identity.id] != nil }
        #expect(Set(free.map(\.identity.id)) == broker.presence.free, "free-staff index out of step")
        for role in [Role.officer, .counsellor, .interpreter] {
            for language in ["id", "en", "ar", "zh"] {
                let expected = Set(free.filter { $0.identity.role == role && $0.identity.speaks(language) }.map(\.identity.id))
                #expect(broker.presence.free(role, speaking: language) == expected, "free index for \(role)/\(language) out of step")
            }
        }
        for session in broker.sessions.values {
            for member in session.activeMembers {
                #expect(broker.sessions.of(member.id).contains { $0.record.id == session.record.id }, "member index out of step")
            }
        }
        for key in broker.tickets.waitingKeys {
            let queue = broker.tickets.queue(key)
            #expect(queue == queue.sorted(by: Broker.serviceOrder), "queue out of service order")
            // Work-conserving: nobody free who could take the head of a queue is left idle.
            let head = try #require(queue.first)
            #expect(!broker.presence.free.contains { broker.canServe($0, key) }, "ticket \(head.id) waits while someone fitting is free")
        }
        for ticket in broker.tickets.values {
            if let session = ticket.session { #expect(broker.sessions[session] != nil, "a transfer waits for a session that is gone") }
        }
    }
}
