import Foundation

/// A queue: one service in one language; transfers to a team have their own (`role`), and
/// interpreter requests one per language pair (`role` interpreter, `pair`).
struct QueueKey: Hashable {
    var service: Service
    var language: String
    var role: Role? = nil
    var pair: String? = nil

    init(service: Service, language: String, role: Role? = nil, pair: String? = nil) {
        self.service = service
        self.language = language
        self.role = role
        self.pair = pair
    }

    init(_ ticket: TicketRecord) {
        self.init(service: ticket.service, language: ticket.language, role: ticket.role, pair: ticket.pairLanguage)
    }

    static func < (a: QueueKey, b: QueueKey) -> Bool {
        (a.service.rawValue, a.language, a.role?.rawValue ?? "", a.pair ?? "")
            < (b.service.rawValue, b.language, b.role?.rawValue ?? "", b.pair ?? "")
    }
}

/// The waiting tickets, kept sorted per queue so routing looks at queue heads only and a
/// position is a binary search — never a scan of every ticket (10,000 wait in a rush).
struct TicketQueues {
    private var byID: [TicketID: TicketRecord] = [:]
    /// Per queue, ticket ids in service order from `heads[key]` on (a removed head only moves
    /// the offset; the array is compacted when half of it is dead).
    private var order: [QueueKey: [TicketID]] = [:]
    private var heads: [QueueKey: Int] = [:]
    private var byApplicant: [ParticipantID: Set<TicketID>] = [:]

    var values: Dictionary<TicketID, TicketRecord>.Values { byID.values }
    var keys: Dictionary<TicketID, TicketRecord>.Keys { byID.keys }
    var count: Int { byID.count }
    var isEmpty: Bool { byID.isEmpty }

    subscript(id: TicketID) -> TicketRecord? {
        get { byID[id] }
        set {
            if byID[id] != nil { remove(id) }
            if let newValue { insert(newValue) }
        }
    }

    /// Queues with someone waiting, in a stable order.
    var waitingKeys: [QueueKey] { order.keys.filter { count(in: $0) > 0 }.sorted(by: <) }

    func count(in key: QueueKey) -> Int { (order[key]?.count ?? 0) - (heads[key] ?? 0) }

    /// The next ticket of a queue.
    func head(_ key: QueueKey) -> TicketRecord? {
        let head = heads[key] ?? 0
        guard let ids = order[key], head < ids.count else { return nil }
        return byID[ids[head]]
    }

    /// The queue's tickets in service order.
    func queue(_ key: QueueKey) -> [TicketRecord] {
        guard let ids = order[key] else { return [] }
        return ids[(heads[key] ?? 0)...].compactMap { byID[$0] }
    }

    /// 1 for the next ticket of its queue.
    func position(of ticket: TicketRecord) -> Int? {
        let key = QueueKey(ticket)
        guard let ids = order[key], byID[ticket.id] != nil else { return nil }
        let index = insertionIndex(ticket, in: ids, from: heads[key] ?? 0)
        return index - (heads[key] ?? 0) + 1
    }

    func tickets(of applicant: ParticipantID) -> [TicketRecord] {
        (byApplicant[applicant] ?? []).compactMap { byID[$0] }.sorted { $0.createdAt < $1.createdAt }
    }

    private mutating func insert(_ ticket: TicketRecord) {
        let key = QueueKey(ticket)
        byID[ticket.id] = ticket
        byApplicant[ticket.applicant, default: []].insert(ticket.id)
        var ids = order.removeValue(forKey: key) ?? []
        let head = heads[key] ?? 0
        // A re-queued ticket may sort before the head: reuse the dead slot in front of it.
        if head > 0, let first = ids.indices.contains(head) ? byID[ids[head]] : nil, Broker.serviceOrder(ticket, first) {
            ids[head - 1] = ticket.id
            heads[key] = head - 1
        } else {
            ids.insert(ticket.id, at: insertionIndex(ticket, in: ids, from: head))
        }
        order[key] = ids
    }

    @discardableResult
    private mutating func remove(_ id: TicketID) -> TicketRecord? {
        guard let ticket = byID.removeValue(forKey: id) else { return nil }
        byApplicant[ticket.applicant]?.remove(id)
        if byApplicant[ticket.applicant]?.isEmpty == true { byApplicant[ticket.applicant] = nil }
        let key = QueueKey(ticket)
        guard var ids = order.removeValue(forKey: key) else { return ticket }
        var head = heads[key] ?? 0
        if head < ids.count, ids[head] == id {
            head += 1
        } else if let index = ids[head...].firstIndex(of: id) {
            ids.remove(at: index)
        }
        if head >= ids.count {
            heads[key] = nil
            return ticket
        }
        if head > 64 && head * 2 > ids.count {
            ids.removeFirst(head)
            head = 0
        }
        heads[key] = head
        order[key] = ids
        return ticket
    }

    /// Where `ticket` sorts among `ids[from...]` (binary search in service order).
    private func insertionIndex(_ ticket: TicketRecord, in ids: [TicketID], from start: Int) -> Int {
        var low = start
        var high = ids.count
        while low < high {
            let middle = (low + high) / 2
            if let other = byID[ids[middle]], other.id != ticket.id, Broker.serviceOrder(other, ticket) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }
}
