import Foundation

/// Indexes over the staff kept up to date on every change, so routing looks only at who is
/// free and a queue's servers are a lookup — not a scan of every staff member per event.
struct StaffPresence {
    struct RoleLanguage: Hashable {
        var role: Role
        var language: String
    }

    /// Available, online, below capacity.
    private(set) var free: Set<ParticipantID> = []
    /// The same, per role and language spoken: a queue's candidates are a lookup.
    private var freeBy: [RoleLanguage: Set<ParticipantID>] = [:]
    /// How each free staff member was filed in `freeBy`.
    private var filed: [ParticipantID: Identity] = [:]
    /// Online staff per role and language they speak.
    private var online: [RoleLanguage: Int] = [:]
    /// How each online staff member was counted (their token may change on reconnect).
    private var counted: [ParticipantID: Identity] = [:]

    func onlineCount(_ role: Role, _ language: String) -> Int {
        online[RoleLanguage(role: role, language: language)] ?? 0
    }

    /// Free staff of `role` who speak `language`.
    func free(_ role: Role, speaking language: String) -> Set<ParticipantID> {
        freeBy[RoleLanguage(role: role, language: language)] ?? []
    }

    mutating func update(_ id: ParticipantID, member: StaffState?, isOnline: Bool) {
        let current = isOnline ? member?.identity : nil
        if counted[id] != current {
            if let old = counted.removeValue(forKey: id) { count(old, by: -1) }
            if let current {
                counted[id] = current
                count(current, by: 1)
            }
        }
        let nowFree = (member != nil && isOnline && member!.availability == .available && member!.hasRoom) ? member!.identity : nil
        if filed[id] != nowFree {
            if let old = filed.removeValue(forKey: id) { file(id, old, insert: false) }
            if let nowFree {
                filed[id] = nowFree
                file(id, nowFree, insert: true)
            }
        }
        if nowFree != nil { free.insert(id) } else { free.remove(id) }
    }

    private mutating func file(_ id: ParticipantID, _ identity: Identity, insert: Bool) {
        for language in Set(identity.langs) {
            let key = RoleLanguage(role: identity.role, language: language)
            if insert {
                freeBy[key, default: []].insert(id)
            } else {
                freeBy[key]?.remove(id)
                if freeBy[key]?.isEmpty == true { freeBy[key] = nil }
            }
        }
    }

    private mutating func count(_ identity: Identity, by delta: Int) {
        for language in Set(identity.langs) {
            let key = RoleLanguage(role: identity.role, language: language)
            online[key, default: 0] += delta
            if online[key] == 0 { online[key] = nil }
        }
    }
}

extension Broker {
    /// Call after anything about a staff member changed: availability, load, connections.
    mutating func refreshStaff(_ id: ParticipantID) {
        presence.update(id, member: staff[id], isOnline: isPresent(id))
    }

    /// Online staff who could serve the queue (any availability).
    func onlineServers(_ key: QueueKey) -> Int {
        roles(serving: key).reduce(0) { $0 + presence.onlineCount($1, key.language) }
    }

    /// The roles a queue's tickets may go to.
    func roles(serving key: QueueKey) -> [Role] {
        if let role = key.role { return [role] }
        return Role.allCases.filter { $0 != .interpreter && configuration.routing.serves($0, key.service) }
    }

    /// Nobody online speaks the queue's language, but an interpreter for it is online: the
    /// applicant will be served through an interpreter (and is told so).
    func servedViaInterpreter(_ key: QueueKey) -> Bool {
        configuration.interpreterFallback && onlineServers(key) == 0 && presence.onlineCount(.interpreter, key.language) > 0
    }
}
