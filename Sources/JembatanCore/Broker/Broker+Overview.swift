import Foundation

/// The supervisor's view of the queues: per service and language, how many wait, the
/// longest wait, and the staff who could serve them.
extension Broker {
    public func queueOverview(now: Date) -> JSONValue {
        // Transfers to a team wait in their own queue; the overview counts them with the rest.
        let waitingByKey = Dictionary(grouping: tickets.values) { QueueKey(service: $0.service, language: $0.language) }
        var keys = Set(waitingByKey.keys)
        for member in staff.values where online[member.identity.id] != nil {
            for service in Service.allCases where configuration.routing.serves(member.identity.role, service) {
                for language in member.identity.langs { keys.insert(QueueKey(service: service, language: language)) }
            }
        }
        let rows = keys.sorted { ($0.service.rawValue, $0.language) < ($1.service.rawValue, $1.language) }.map { key -> JSONValue in
            let waiting = waitingByKey[key] ?? []
            let capable = staff.values.filter { canServe($0, key) && online[$0.identity.id] != nil }
            let available = capable.filter { $0.availability == .available }
            let oldest = waiting.map { now.timeIntervalSince($0.createdAt) }.max() ?? 0
            return .object([
                "service": .string(key.service.rawValue), "language": .string(key.language),
                "waiting": JSONValue(waiting.count), "oldest_wait_s": JSONValue(Int(oldest.rounded())),
                "staff_online": JSONValue(capable.count), "staff_available": JSONValue(available.count),
                "free_capacity": JSONValue(available.reduce(0) { $0 + max(0, $1.capacity - $1.load) }),
            ])
        }
        return .object(["queues": .array(rows), "at": .string(Timestamp.format(now))])
    }

    mutating func queues(_ connection: ConnectionID, _ identity: Identity, re: String?, now: Date) -> [BrokerAction] {
        guard identity.role == .supervisor else {
            return [errorFrame(connection, FrameError(.forbidden, detail: "supervisors only", requestID: re))]
        }
        var frame = queueOverview(now: now).objectValue ?? [:]
        frame["type"] = "queues"
        return [Self.reply(connection, re: re, frame)]
    }
}
