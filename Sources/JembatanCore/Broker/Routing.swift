import Foundation

/// Assignment: the best ticket meets the best free staff member who fits it.
extension Broker {
    struct Assignment {
        var ticket: TicketRecord
        var staff: ParticipantID
        /// Set when nobody speaking the language is online: an interpreter joins too.
        var interpreter: ParticipantID?
    }

    /// Assigns as many waiting tickets as free, fitting staff allow. Each decision looks at
    /// the head of each waiting queue and at the free staff only (see ``StaffPresence``).
    mutating func route(now: Date, alsoUpdate extra: [QueueKey] = []) -> [BrokerAction] {
        var actions: [BrokerAction] = []
        var touched = Set(extra.filter { tickets.count(in: $0) > 0 })
        while let assignment = nextAssignment() {
            actions += assign(assignment, now: now)
            touched.insert(QueueKey(assignment.ticket))
        }
        for key in touched.sorted(by: <) { actions += queueUpdates(for: key) }
        return actions
    }

    /// Among queue heads some free staff member can take: highest priority, then oldest.
    func nextAssignment() -> Assignment? {
        guard !presence.free.isEmpty else { return nil }
        // Heads in service order: the first one someone free can take is the answer.
        let heads = tickets.waitingKeys.compactMap { key in tickets.head(key).map { (key, $0) } }
        for (key, head) in heads.sorted(by: { Self.serviceOrder($0.1, $1.1) }) {
            // A complaint never goes to the staff member it is about.
            if let chosen = fairest(freeCandidates(key).filter { $0 != head.excludedStaff }) {
                // In a cluster the fairest may be on another node, which assigns it: skip.
                guard isLocal(chosen) else { continue }
                return Assignment(ticket: head, staff: chosen, interpreter: nil)
            }
            if let pair = interpreterPair(for: key), pair.staff != head.excludedStaff {
                guard isLocal(pair.staff) && isLocal(pair.interpreter) else { continue }
                return Assignment(ticket: head, staff: pair.staff, interpreter: pair.interpreter)
            }
        }
        return nil
    }

    /// A free staff member for the queue's service (in any language) and a free interpreter
    /// between the applicant's language and one of theirs — only when nobody online speaks it.
    func interpreterPair(for key: QueueKey) -> (staff: ParticipantID, interpreter: ParticipantID)? {
        guard servedViaInterpreter(key) else { return nil }
        let interpreters = presence.free.filter {
            staff[$0]?.identity.role == .interpreter && staff[$0]?.identity.speaks(key.language) == true
        }
        guard !interpreters.isEmpty else { return nil }
        let roles = Set(roles(serving: key))
        var candidates = presence.free.filter { staff[$0].map { roles.contains($0.identity.role) } ?? false }
        while let candidate = fairest(candidates) {
            let langs = staff[candidate]?.identity.langs ?? []
            let fitting = interpreters.filter { id in langs.contains { staff[id]?.identity.speaks($0) == true } }
            if let interpreter = fairest(fitting) { return (candidate, interpreter) }
            candidates.remove(candidate)
        }
        return nil
    }

    /// The waiting queues whose estimate depends on this staff member being online.
    func queuesServed(by id: ParticipantID) -> [QueueKey] {
        guard let member = staff[id] else { return [] }
        return tickets.waitingKeys.filter { canServe(member, $0) || (member.identity.role == .interpreter && servedViaInterpreter($0)) }
    }

    /// Free staff who fit the queue, from the per-role-and-language index.
    func freeCandidates(_ key: QueueKey) -> Set<ParticipantID> {
        var candidates: Set<ParticipantID> = []
        for role in roles(serving: key) { candidates.formUnion(presence.free(role, speaking: key.language)) }
        return key.pair == nil ? candidates : candidates.filter { canServe($0, key) }
    }

    func canServe(_ id: ParticipantID, _ key: QueueKey) -> Bool {
        guard let member = staff[id] else { return false }
        return canServe(member, key)
    }

    func canServe(_ member: StaffState, _ key: QueueKey) -> Bool {
        let role = member.identity.role
        if key.role == .interpreter, let pair = key.pair {
            return role == .interpreter && member.identity.speaks(key.language) && member.identity.speaks(pair)
        }
        let fits = key.role.map { $0 == role } ?? (role != .interpreter && configuration.routing.serves(role, key.service))
        return fits && member.identity.speaks(key.language)
    }

    /// Least load first, then longest idle (never assigned counts as longest), then id.
    func fairest(_ ids: Set<ParticipantID>) -> ParticipantID? {
        ids.compactMap { staff[$0] }.min { a, b in
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
