import Foundation
import JembatanClient

/// The Jembatan protocol under load: `staff` counsellors (each with `capacity`) go
/// available, `pairs` applicants ask for counselling in one of four languages, are assigned,
/// and both sides chat — flat out with `window` messages in flight each, or paced at `rate`
/// messages a second per client. After `messagesPerSession` from each side the counsellor
/// closes and the applicant asks again, so assignment and closing stay part of the load.
final class ChatScenario: Scenario {
    struct Settings {
        var host: String
        var port: Int
        var pairs: Int
        var capacity: Int
        var window: Int
        var rate: Double
        var messagesPerSession: Int
        var connectConcurrency: Int
        var connectRate: Double
        var mode = Mode.chat
        /// Counsellors; by default as many as the pairs need at `capacity` each.
        var staff: Int?
        /// Where applicants connect when not `port` (another node of an active-active cluster).
        var applicantPort: Int?
        var tls = Transport.TLS.none
        /// Local addresses the connections come from in turn; empty: the kernel's choice.
        var sourceAddresses: [String] = []
    }

    /// `chat`: conversations. `rush`: applicants connect spread over the given seconds and
    /// ask, nobody chats; the run ends when every one is queued or assigned. `idle`:
    /// applicants connect, say hello and stay silent (no staff).
    enum Mode: Equatable {
        case chat
        case rush(seconds: Double)
        case idle
    }

    static let languages = ["id", "en", "ar", "zh"]

    let settings: Settings
    let tally: Tally
    let payload: Payload
    let loop: ClientLoop
    private let minter: TokenMinter
    private let run = String(UInt32.random(in: 0...UInt32.max), radix: 36)
    var connector: Connector
    var closing = false
    var dropped = 0
    var connections = 0
    private var applicants: [ChatClient] = []
    private var staff: [ChatClient] = []
    private var sessions: [String: ChatSession] = [:]
    private var schedule = SendSchedule()
    private var sending: Bool { schedule.isSending }
    private var staffWelcomed = 0
    private var applicantsStarted = false

    init(settings: Settings, minter: TokenMinter, payload: Payload, tally: Tally, loop: ClientLoop) {
        self.settings = settings
        self.minter = minter
        self.payload = payload
        self.tally = tally
        self.loop = loop
        connector = Connector(limit: settings.connectConcurrency, perSecond: settings.connectRate)
    }

    var expected: Int { settings.pairs }
    var ready: Int {
        switch settings.mode {
        case .chat: sessions.values.count { $0.isActive }
        case .rush: answeredAt.count
        case .idle: connections
        }
    }
    // Rush: when each applicant's connect started and when it was queued or assigned.
    private var connectStartedAt: [Int: UInt64] = [:]
    private var answeredAt: [Int: UInt64] = [:]
    private var baselineRSSKiB = 0
    var serverPID: Int32?
    var outstanding: Int { applicants.reduce(0) { $0 + $1.outstanding } + staff.reduce(0) { $0 + $1.outstanding } }
    var undelivered: Int { sessions.values.reduce(0) { $0 + $1.undelivered } + lostInClosedSessions }
    private var lostInClosedSessions = 0

    func token(for client: ChatClient) -> String {
        if client.isStaff {
            return minter.token(
                sub: "load-\(run)-c\(client.index)", role: "counsellor", name: "Counsellor \(client.index)", langs: Self.languages,
                locale: client.language, capacity: settings.capacity)
        }
        return minter.token(
            sub: "load-\(run)-a\(client.index)", role: "applicant", name: "Applicant \(client.index)", langs: [client.language],
            locale: client.language, capacity: nil)
    }

    func start(now: UInt64) {
        // Staff first, so applicants are assigned as they arrive rather than all queueing.
        baselineRSSKiB = serverPID.map(UsageSample.rssKiB) ?? 0
        let staffCount = settings.mode == .idle ? 0 : settings.staff ?? (settings.pairs + settings.capacity - 1) / settings.capacity
        // Indexes: applicants 0..<pairs, staff after them (client_msg_id prefixes stay unique).
        staff = (0..<staffCount).map { ChatClient(index: settings.pairs + $0, isStaff: true, language: "id", scenario: self) }
        applicants = (0..<settings.pairs).map {
            ChatClient(index: $0, isStaff: false, language: Self.languages[$0 % Self.languages.count], scenario: self)
        }
        for member in staff { connector.enqueue { [unowned self] in open(member) } }
        if staff.isEmpty { openApplicants() }
        connector.pump(now: now)
    }

    private func openApplicants() {
        applicantsStarted = true
        if case .rush(let seconds) = settings.mode {
            connector = Connector(limit: .max, perSecond: Double(settings.pairs) / max(0.001, seconds))
        }
        for applicant in applicants { connector.enqueue { [unowned self] in open(applicant) } }
    }

    private func open(_ member: ChatClient) {
        if !member.isStaff { connectStartedAt[member.index] = monotonicNow() }
        let port = member.isStaff ? settings.port : settings.applicantPort ?? settings.port
        let sources = settings.sourceAddresses
        let transport = Transport(tls: settings.tls, sourceAddress: sources.isEmpty ? nil : sources[member.index % sources.count])
        member.client = WebSocketClient.open(host: settings.host, port: port, transport: transport, loop: loop, delegate: member)
    }

    func tick(now: UInt64, sending requested: Bool) {
        connector.pump(now: now)
        // Only conversations send; the rush and idle connections stay silent.
        schedule.tick(
            now: now, sending: requested && settings.mode == .chat, clients: applicants.count + staff.count, rate: settings.rate,
            fill: { for session in sessions.values where session.isActive { fill(session, now: now) } },
            due: { index in
                let member = index < applicants.count ? applicants[index] : staff[index - applicants.count]
                guard let session = member.sessions.first(where: \.isActive) else { return }
                if session[member.isStaff].outstanding >= settings.window || !wantsToSend(session, staffSide: member.isStaff) {
                    tally.meter.skipped += 1
                } else {
                    member.send(in: session, now: now)
                }
            })
    }

    // MARK: events from the clients

    func welcomed(_ member: ChatClient, now: UInt64) {
        connections += 1
        if member.isStaff {
            member.sendRaw(#"{"type":"status","availability":"available"}"#)
            staffWelcomed += 1
            if staffWelcomed == staff.count && !applicantsStarted { openApplicants() }
        } else if settings.mode != .idle {
            request(from: member)
        }
    }

    func queued(_ member: ChatClient, now: UInt64) { answered(member, now: now) }

    private func answered(_ member: ChatClient, now: UInt64) {
        guard !member.isStaff, answeredAt[member.index] == nil, let started = connectStartedAt[member.index] else { return }
        answeredAt[member.index] = now
        if case .rush = settings.mode { tally.meter.recordDelivery(sentAt: started, now: now) }
    }

    private func request(from applicant: ChatClient) {
        applicant.sendRaw(#"{"type":"request","id":"r","service":"counselling","language":"\#(applicant.language)"}"#)
    }

    func joined(_ member: ChatClient, session id: String, now: UInt64) {
        let session = sessions[id] ?? ChatSession(id: id)
        sessions[id] = session
        session[member.isStaff].client = member
        member.sessions.append(session)
        answered(member, now: now)
        if session.isActive && sending && settings.rate == 0 { fill(session, now: now) }
    }

    func acknowledged(by member: ChatClient, in session: ChatSession, now: UInt64) {
        if sending && settings.rate == 0 && session.isActive { fill(session, now: now) }
        closeIfDone(session)
    }

    func delivered(to member: ChatClient, in session: ChatSession, now: UInt64) {
        closeIfDone(session)
    }

    func closed(_ session: ChatSession, by member: ChatClient, now: UInt64) {
        guard session.applicant.sawClose && session.staff.sawClose else { return }
        // Both sides saw the close; every acknowledged message must have reached the other.
        lostInClosedSessions += session.undelivered
        sessions[session.id] = nil
        tally.meter.sessionsClosed += 1
        if sending, let applicant = session.applicant.client { request(from: applicant) }
    }

    /// Flat out: each side keeps `window` messages in flight until it has sent its share.
    private func fill(_ session: ChatSession, now: UInt64) {
        for staffSide in [false, true] {
            guard let member = session[staffSide].client else { continue }
            while session[staffSide].outstanding < settings.window && wantsToSend(session, staffSide: staffSide) {
                member.send(in: session, now: now)
            }
        }
    }

    private func wantsToSend(_ session: ChatSession, staffSide: Bool) -> Bool {
        settings.messagesPerSession == 0 || session[staffSide].sent < settings.messagesPerSession
    }

    /// The counsellor closes once both sides sent their share and all of it arrived.
    private func closeIfDone(_ session: ChatSession) {
        let quota = settings.messagesPerSession
        guard quota > 0, !session.closeSent, sending, let counsellor = session.staff.client,
            session.staff.acknowledged >= quota, session.applicant.acknowledged >= quota, session.staff.received >= quota,
            session.applicant.received >= quota
        else { return }
        session.closeSent = true
        counsellor.sendRaw(#"{"type":"close","id":"c","session":"\#(session.id)","reason":"resolved"}"#)
    }

    func figures(now: UInt64) -> [(String, String)] {
        switch settings.mode {
        case .chat:
            return [("sessions_closed", String(tally.meter.sessionsClosed))]
        case .idle:
            let rss = serverPID.map(UsageSample.rssKiB) ?? 0
            let perConnection = connections > 0 ? Double(rss - baselineRSSKiB) / Double(connections) : 0
            return [
                ("server_rss_before_kib", String(baselineRSSKiB)), ("server_rss_now_kib", String(rss)),
                ("rss_per_connection_kib", String(format: "%.2f", perConnection)),
            ]
        case .rush:
            let first = connectStartedAt.values.min() ?? now
            let lastConnect = connectStartedAt.values.max() ?? now
            let lastAnswer = answeredAt.values.max() ?? now
            let complete = answeredAt.count == settings.pairs
            return [
                ("answered", String(answeredAt.count)),
                ("connects_spread_s", String(format: "%.2f", Double(lastConnect - first) / 1e9)),
                ("all_answered_after_first_connect_s", complete ? String(format: "%.2f", Double(lastAnswer - first) / 1e9) : "never"),
                (
                    "all_answered_after_last_connect_s",
                    complete ? String(format: "%.2f", Double(lastAnswer - lastConnect) / 1e9) : "never"
                ),
            ]
        }
    }

    func closeAll() {
        closing = true
        for member in applicants + staff { member.client?.close() }
    }
}
