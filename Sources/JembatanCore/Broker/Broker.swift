import Foundation

/// The broker's brain: takes what happened (a frame arrived, a commit finished, a connection
/// dropped) and returns what to do (send frames, close, store). It has no sockets, threads,
/// database or clock, so every rule is testable as plain values. Owned by one thread.
public struct Broker {
    public let configuration: BrokerConfiguration
    let localizer: Localizer
    let verifier: any TokenVerifying
    var ids: any IDSource

    var connections: [ConnectionID: ConnectionState] = [:]
    var online: [ParticipantID: Set<ConnectionID>] = [:]
    var staff: [ParticipantID: StaffState] = [:]
    var tickets = TicketQueues()
    var presence = StaffPresence()
    /// Tickets waiting longer than `maxWaitSeconds` whose applicant has been told so.
    var overdue: Set<TicketID> = []
    /// Interviews still to open, and the people the broker knows (interpreters to book, names).
    var interviews: [InterviewID: InterviewRecord] = [:]
    var directory: [ParticipantID: Identity] = [:]
    /// Rate buckets of the participants online (dropped when they go offline).
    var participantBuckets: [ParticipantID: TokenBucket] = [:]
    /// Who handled recently closed sessions, to tell them a rating when that is configured
    /// (bounded: the oldest are forgotten first).
    var closedSessionStaff: [SessionID: [ParticipantID]] = [:]
    var closedOrder: [SessionID] = []
    /// Notifications each applicant has not seen yet, oldest first.
    var unseen: [ParticipantID: [NotificationRecord]] = [:]
    var sessions = LiveSessions()
    var handlingTimes = HandlingTimes()
    /// When each participant's last connection dropped (grace periods run from here).
    var offlineSince: [ParticipantID: Date] = [:]
    var pending: [StoreRequestID: PendingWork] = [:]
    /// Active-active cluster: who is connected to any live node (this one included), as the
    /// last snapshot said; whether a snapshot is under way, another is wanted after it, and
    /// what this node changed since asking for it (see ``requestSnapshot()``).
    var remotePresence: [ParticipantID: ClusterSnapshot.Presence] = [:]
    var snapshotInFlight = false
    var snapshotWanted = false
    var changedSinceSnapshot: Set<SharedThing> = []
    /// Sessions being read after another node's commit, with the highest seq heard during the read.
    var catchingUp: [SessionID: Int] = [:]
    var nextRequest: UInt64 = 0

    public init(
        configuration: BrokerConfiguration = BrokerConfiguration(), localizer: Localizer,
        verifier: any TokenVerifying, ids: any IDSource = RandomIDSource(),
        recovered: RecoveredState = RecoveredState()
    ) {
        self.configuration = configuration
        self.localizer = localizer
        self.verifier = verifier
        self.ids = ids
        handlingTimes.initial = configuration.initialHandlingSeconds
        for ticket in recovered.queuedTickets { tickets[ticket.id] = ticket }
        for interview in recovered.bookedInterviews { interviews[interview.id] = interview }
        for person in recovered.people { directory[person.id] = person }
        for notification in recovered.unseenNotifications { unseen[notification.applicant, default: []].append(notification) }
        for active in recovered.activeSessions {
            var live = LiveSession(record: active.record, members: active.members, opening: false)
            for member in active.members where member.lastReadSeq > 0 { live.lastRead[member.id] = member.lastReadSeq }
            sessions[active.record.id] = live
            for member in active.members where member.role.isStaff && member.leftAt == nil {
                let identity = Identity(id: member.id, role: member.role, name: member.name, langs: member.langs)
                staff[member.id, default: StaffState(identity: identity, capacity: configuration.defaultCapacity)]
                    .sessions.insert(active.record.id)
                refreshStaff(member.id)
            }
        }
    }

    // MARK: - Events from the server

    /// A WebSocket connection was accepted. It must send `hello` first.
    public mutating func connected(_ connection: ConnectionID) {
        var state = ConnectionState(id: connection, locale: localizer.negotiator.defaultLocale)
        state.bucket = TokenBucket(rate: configuration.limits.connectionRate, burst: configuration.limits.connectionBurst)
        connections[connection] = state
    }

    /// An HTTP request answered through the same rules as a frame (`POST /api/interviews`):
    /// a connection that is already authenticated, is never "online" and receives only the
    /// reply. The server ends it with ``disconnected(_:now:)`` once the reply went out.
    public mutating func connectedOneShot(_ connection: ConnectionID, identity: Identity, locale: String?) {
        var state = ConnectionState(id: connection, locale: localizer.negotiate([locale, identity.locale]))
        state.identity = identity
        state.oneShot = true
        connections[connection] = state
    }

    /// A text frame arrived on a connection.
    public mutating func received(_ bytes: [UInt8], from connection: ConnectionID, now: Date) -> [BrokerAction] {
        guard connections[connection] != nil else { return [] }
        switch FrameDecoder.decode(bytes) {
        case .failure(let error):
            return refuse(connection, error)
        case .success(let decoded):
            connections[connection]?.consecutiveErrors = 0
            if let identity = connections[connection]?.identity, !connections[connection]!.oneShot,
                let refusal = admit(connection, identity, re: decoded.id, now: now)
            {
                return refusal
            }
            return handle(decoded, from: connection, now: now)
        }
    }

    /// A binary frame arrived: the protocol is text only.
    public mutating func receivedBinary(from connection: ConnectionID) -> [BrokerAction] {
        refuse(connection, FrameError(.bad_request, key: "error.binary_unsupported", detail: "binary frames are not supported"))
    }

    /// The `hello` deadline passed: close the connection unless it authenticated.
    public mutating func helloDeadlinePassed(_ connection: ConnectionID) -> [BrokerAction] {
        guard let state = connections[connection], state.identity == nil else { return [] }
        return [.close(connection, .unauthenticated)]
    }

    /// The connection is gone (closed by either side or dropped). When a staff member's last
    /// connection goes, the waits of the queues they served change: those applicants are told.
    @discardableResult
    public mutating func disconnected(_ connection: ConnectionID, now: Date) -> [BrokerAction] {
        guard let state = connections.removeValue(forKey: connection) else { return [] }
        guard let identity = state.identity, !state.oneShot else { return [] }
        online[identity.id]?.remove(connection)
        if online[identity.id]?.isEmpty == true { online[identity.id] = nil }
        var actions: [BrokerAction] = []
        if online[identity.id] == nil {
            participantBuckets[identity.id] = nil
            offlineSince[identity.id] = now
            if identity.role.isStaff { staff[identity.id]?.availability = .away }
            actions += presenceRequest(identity)
        }
        guard identity.role.isStaff else { return actions }
        let served = queuesServed(by: identity.id)
        refreshStaff(identity.id)
        return actions + (online[identity.id] == nil ? served.sorted(by: <).flatMap { queueUpdates(for: $0) } : [])
    }

    /// Whether the connection has completed `hello`.
    public func isAuthenticated(_ connection: ConnectionID) -> Bool {
        connections[connection]?.identity != nil
    }

    mutating func handle(_ decoded: DecodedFrame, from connection: ConnectionID, now: Date) -> [BrokerAction] {
        let re = decoded.id
        if case .hello(let token, let locale, let resume) = decoded.frame {
            return hello(connection, re: re, token: token, locale: locale, resume: resume, now: now)
        }
        guard let identity = connections[connection]?.identity else {
            let error = FrameError(.unauthorized, key: "error.hello_required", detail: "hello must come first", requestID: re)
            return [errorFrame(connection, error), .close(connection, .unauthenticated)]
        }
        switch decoded.frame {
        case .hello: return []
        case .request(let service, let language, let note, let message, let about, let caseNumber):
            if service == .complaint {
                return complain(
                    connection, identity, re: re, language: language, note: note, about: about, caseNumber: caseNumber, now: now)
            }
            return request(connection, identity, re: re, service: service, language: language, note: note, message: message, now: now)
        case .feedback(let session, let rating, let comment):
            return feedback(connection, identity, re: re, session: session, rating: rating, comment: comment, now: now)
        case .complaintUpdate(let number, let status):
            return updateComplaint(connection, identity, re: re, number: number, status: status, now: now)
        case .cancel(let ticket):
            return cancel(connection, identity, re: re, ticket: ticket, now: now)
        case .status(let availability):
            return setStatus(connection, identity, re: re, availability: availability, now: now)
        case .send(let message):
            return send(connection, identity, re: re, message: message, now: now)
        case .typing(let session, let on):
            return relay(connection, identity, session: session, re: re) {
                ["type": "typing", "session": .string(session.rawValue), "from": $0, "on": .bool(on)]
            }
        case .read(let session, let seq):
            let relayed = relay(connection, identity, session: session, re: re) {
                ["type": "read", "session": .string(session.rawValue), "from": $0, "seq": JSONValue(seq)]
            }
            return relayed + markRead(identity, session: session, seq: seq)
        case .history(let session, let afterSeq, let limit, let backwards):
            return history(connection, identity, re: re, session: session, afterSeq: afterSeq, limit: limit, backwards: backwards)
        case .close(let session, let reason):
            return close(connection, identity, re: re, session: session, reason: reason, now: now)
        case .queues:
            return queues(connection, identity, re: re, now: now)
        case .leave(let session):
            return leave(connection, identity, re: re, session: session, now: now)
        case .transfer(let session, let target, let note):
            return transfer(connection, identity, re: re, session: session, to: target, note: note, now: now)
        case .templates:
            return listTemplates(connection, identity, re: re)
        case .note(let message):
            return note(connection, identity, re: re, message: message, now: now)
        case .outcome(let session, let code, let followUp):
            return recordOutcome(connection, identity, re: re, session: session, code: code, followUp: followUp, now: now)
        case .sessions:
            return sessionList(connection, identity, re: re, now: now)
        case .notify(let id, let applicant, let key, let args):
            return notify(connection, identity, re: re, id: id, applicant: applicant, key: key, args: args, now: now)
        case .notificationsSeen(let ids):
            return notificationsSeen(connection, identity, re: re, ids: ids, now: now)
        case .interpreterRequest(let session, let languages, let share):
            return requestInterpreter(connection, identity, re: re, session: session, languages: languages, shareHistory: share, now: now)
        case .interviewSchedule(let booking):
            return scheduleInterview(connection, identity, re: re, booking, now: now)
        case .interviewCancel(let interview):
            return cancelInterview(connection, identity, re: re, interview, now: now)
        case .leaveMessage(let ticket, let text):
            return leaveMessage(connection, identity, re: re, ticket: ticket, text: text, now: now)
        }
    }

    /// Answers a bad frame with `error`; too many in a row close the connection (1008).
    mutating func refuse(_ connection: ConnectionID, _ error: FrameError) -> [BrokerAction] {
        guard var state = connections[connection] else { return [] }
        state.consecutiveErrors += 1
        connections[connection] = state
        if state.identity == nil && error.code != .unavailable {
            // Before hello, only hello is acceptable (PROTOCOL.md: close 4401).
            return [errorFrame(connection, error), .close(connection, .unauthenticated)]
        }
        var actions = [errorFrame(connection, error)]
        if state.consecutiveErrors >= configuration.maxConsecutiveErrors {
            actions.append(.close(connection, .policy))
        }
        return actions
    }

    mutating func storeRequest(_ command: StoreCommand, then work: PendingWork) -> BrokerAction {
        if configuration.clusterActive { noteChange(command) }
        nextRequest += 1
        let id = StoreRequestID(rawValue: nextRequest)
        pending[id] = work
        return .store(id, command)
    }
}
