import Foundation

/// Assignment: the best ticket meets the best free staff member who fits it.
extension Broker {
    /// Assigns as many waiting tickets as free, fitting staff allow. Tickets go in service
    /// order; among fitting staff the least loaded wins, then the longest idle.
    mutating func route(now: Date) -> [BrokerAction] {
        var actions: [BrokerAction] = []
        var touched: Set<QueueKey> = []
        for ticket in tickets.values.sorted(by: Self.serviceOrder) {
            let key = QueueKey(service: ticket.service, language: ticket.language)
            guard let chosen = bestStaff(for: key) else { continue }
            actions += openSession(for: ticket, with: chosen, now: now)
            touched.insert(key)
        }
        for key in touched.sorted(by: { ($0.service.rawValue, $0.language) < ($1.service.rawValue, $1.language) }) {
            actions += queueUpdates(for: key)
        }
        return actions
    }

    func bestStaff(for key: QueueKey) -> ParticipantID? {
        let eligible = staff.values.filter {
            $0.availability == .available && $0.hasRoom && online[$0.identity.id] != nil && canServe($0, key)
        }
        return eligible.min { a, b in
            if a.load != b.load { return a.load < b.load }
            switch (a.lastAssignedAt, b.lastAssignedAt) {
            case (nil, nil): return a.identity.id.rawValue < b.identity.id.rawValue
            case (nil, _): return true
            case (_, nil): return false
            case (let x?, let y?): return x != y ? x < y : a.identity.id.rawValue < b.identity.id.rawValue
            }
        }?.identity.id
    }
}
