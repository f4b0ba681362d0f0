/// The open sessions, with an index from each active member to their sessions, so `hello` and
/// `request` look up a person's sessions instead of scanning thousands.
struct LiveSessions {
    private var byID: [SessionID: LiveSession] = [:]
    private var byMember: [ParticipantID: Set<SessionID>] = [:]

    var values: Dictionary<SessionID, LiveSession>.Values { byID.values }
    var count: Int { byID.count }
    var isEmpty: Bool { byID.isEmpty }

    subscript(id: SessionID) -> LiveSession? {
        get { byID[id] }
        set {
            for member in byID[id]?.activeMembers ?? [] {
                byMember[member.id]?.remove(id)
                if byMember[member.id]?.isEmpty == true { byMember[member.id] = nil }
            }
            byID[id] = newValue
            for member in newValue?.activeMembers ?? [] { byMember[member.id, default: []].insert(id) }
        }
    }

    /// The sessions `participant` is an active member of.
    func of(_ participant: ParticipantID) -> [LiveSession] {
        (byMember[participant] ?? []).compactMap { byID[$0] }
    }
}
