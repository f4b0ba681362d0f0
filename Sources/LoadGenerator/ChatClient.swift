import JembatanClient

/// One participant's connection in the chat mode: an applicant who asks for counselling and
/// chats, or a counsellor who goes available and is assigned sessions.
final class ChatClient: WebSocketDelegate, @unchecked Sendable {
    // Safe: every field is touched only on the client loop's service thread (delegate
    // methods and the runner's ticks run there).
    let index: Int
    let isStaff: Bool
    let language: String
    unowned let scenario: ChatScenario
    var client: WebSocketClient?
    var welcomed = false
    var sessions: [ChatSession] = []
    private var nextSession = 0
    private var counter = 0
    /// Send counter → session, until the `ack` (or an `error`) comes back.
    private var pending: [Int: ChatSession] = [:]

    init(index: Int, isStaff: Bool, language: String, scenario: ChatScenario) {
        self.index = index
        self.isStaff = isStaff
        self.language = language
        self.scenario = scenario
    }

    func webSocketDidOpen(_ client: WebSocketClient) {
        client.send(text: #"{"type":"hello","id":"h","token":"\#(scenario.token(for: self))","locale":"\#(language)"}"#)
    }

    func webSocket(_ client: WebSocketClient, didEndWithCode code: UInt16?, failure: ClientError?) {
        if welcomed { scenario.connections -= 1 } else { scenario.connector.finished() }
        if !scenario.closing { scenario.dropped += 1 }
    }

    func webSocket(_ client: WebSocketClient, didReceive message: [UInt8], binary: Bool) {
        let now = monotonicNow()
        guard let type = JSONScan.stringRange("type", in: message) else { return }
        let kind = message[type]
        if JSONScan.equal(kind, "message") {
            receiveMessage(message, now: now)
        } else if JSONScan.equal(kind, "ack") {
            guard let re = JSONScan.stringRange("re", in: message), let counter = JSONScan.leadingNumber(message[re].dropFirst()),
                let session = pending.removeValue(forKey: Int(counter))
            else { return }
            session[isStaff].outstanding -= 1
            session[isStaff].acknowledged += 1
            scenario.tally.meter.acknowledged += 1
            scenario.acknowledged(by: self, in: session, now: now)
        } else if JSONScan.equal(kind, "session.started") {
            guard let object = JSONScan.valueOffset("session", in: message),
                let id = JSONScan.string("id", in: message, from: object)
            else { return }
            scenario.joined(self, session: id, now: now)
        } else if JSONScan.equal(kind, "session.closed") {
            guard let id = JSONScan.string("session", in: message), let session = sessions.first(where: { $0.id == id }) else { return }
            sessions.removeAll { $0 === session }
            session[isStaff].sawClose = true
            scenario.closed(session, by: self, now: now)
        } else if JSONScan.equal(kind, "welcome") {
            welcomed = true
            scenario.connector.finished()
            scenario.welcomed(self, now: now)
        } else if JSONScan.equal(kind, "queued") {
            scenario.queued(self, now: now)
        } else if JSONScan.equal(kind, "error") {
            scenario.tally.meter.errors += 1
            if let re = JSONScan.stringRange("re", in: message), message[re].first == UInt8(ascii: "m"),
                let counter = JSONScan.leadingNumber(message[re].dropFirst()), let session = pending.removeValue(forKey: Int(counter))
            {
                session[isStaff].outstanding -= 1
            }
        }
    }

    private func receiveMessage(_ message: [UInt8], now: UInt64) {
        // System lines (joined, closed) carry no client_msg_id; our own messages come back
        // to us too, and only the other side's count as delivered.
        guard let origin = Payload.origin(of: message), origin.sender != index,
            let id = JSONScan.string("session", in: message), let session = sessions.first(where: { $0.id == id })
        else { return }
        session[isStaff].received += 1
        scenario.tally.meter.recordDelivery(sentAt: origin.sentAt, now: now)
        scenario.delivered(to: self, in: session, now: now)
    }

    /// Sends one message into `session` (or the next of this client's sessions, in turn).
    @discardableResult
    func send(in chosen: ChatSession? = nil, now: UInt64) -> Bool {
        guard let client else { return false }
        let session: ChatSession
        if let chosen {
            session = chosen
        } else {
            let active = sessions.filter(\.isActive)
            guard !active.isEmpty else { return false }
            session = active[nextSession % active.count]
            nextSession &+= 1
        }
        counter += 1
        pending[counter] = session
        session[isStaff].outstanding += 1
        session[isStaff].sent += 1
        scenario.tally.meter.sent += 1
        client.send(rawTextBytes: scenario.payload.frame(sender: index, counter: counter, session: session.id, now: now))
        return true
    }

    func sendRaw(_ text: String) { client?.send(text: text) }

    var outstanding: Int { pending.count }
}
