import Foundation
import JembatanText

@testable import JembatanCore

/// Tokens in core tests are just the participant id; the verifier looks them up.
struct TableVerifier: TokenVerifying {
    var identities: [String: Identity]
    func verify(_ token: String, now: Date) -> Identity? { identities[token] }
}

/// The shipped reply and notification templates.
func shippedTemplates() throws -> ReplyTemplates {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return try ReplyTemplates.load(manifest: Data(contentsOf: root.appendingPathComponent("Locales/manifest/templates.json")))
}

/// Loads the shipped Locales/ folder.
func shippedLocalizer() throws -> Localizer {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return Localizer(catalog: try TemplateCatalog(directory: root.appendingPathComponent("Locales")))
}

/// Drives a Broker and answers its store requests the way a store would (seq assignment,
/// idempotency), so core rules can be tested as plain values. The real store has its own tests.
struct Harness {
    var broker: Broker
    var now = Date(timeIntervalSince1970: 1_800_000_000)
    var lastSeq: [SessionID: Int] = [:]
    var byClientID: [String: StoredMessage] = [:]
    var stored: [SessionID: [StoredMessage]] = [:]
    var commands: [StoreCommand] = []
    var nextConnection: UInt64 = 0
    var notified: Set<String> = []
    var complaints: [String: ComplaintCase] = [:]

    init(_ people: [Identity], configuration: BrokerConfiguration = BrokerConfiguration()) throws {
        let verifier = TableVerifier(identities: Dictionary(uniqueKeysWithValues: people.map { ($0.id.rawValue, $0) }))
        var configuration = configuration
        if configuration.templates.replies.isEmpty { configuration.templates = try shippedTemplates() }
        broker = Broker(configuration: configuration, localizer: try shippedLocalizer(), verifier: verifier, ids: SequentialIDSource())
    }

    mutating func connect() -> ConnectionID {
        nextConnection += 1
        let id = ConnectionID(nextConnection)
        broker.connected(id)
        return id
    }

    /// Sends a frame and runs every resulting store request to completion; returns the
    /// frames and closes that went out, in order.
    mutating func send(_ connection: ConnectionID, _ frame: JSONObject) -> [BrokerAction] {
        settle(broker.received(JSONWriter.bytes(.object(frame)), from: connection, now: now))
    }

    mutating func login(_ id: String, locale: String? = nil, resume: [JSONValue] = []) -> ConnectionID {
        let connection = connect()
        var hello: JSONObject = ["type": "hello", "id": "h", "token": .string(id)]
        if let locale { hello["locale"] = .string(locale) }
        if !resume.isEmpty { hello["resume"] = .array(resume) }
        _ = send(connection, hello)
        return connection
    }

    mutating func settle(_ actions: [BrokerAction]) -> [BrokerAction] {
        var out: [BrokerAction] = []
        var queue = actions
        while !queue.isEmpty {
            let action = queue.removeFirst()
            guard case .store(let request, let command) = action else {
                out.append(action)
                continue
            }
            commands.append(command)
            queue += broker.stored(request, result: perform(command), now: now)
        }
        return out
    }

    mutating func perform(_ command: StoreCommand) -> StoreResult {
        switch command {
        case .openSession(let record, _, let messages):
            return .sessionOpened(messages.map { append($0, session: record.id) })
        case .append(let message):
            if let id = message.clientMessageID, let original = byClientID["\(message.session)/\(id.rawValue)"] {
                return .appended(original, duplicate: true)
            }
            return .appended(append(message, session: message.session), duplicate: false)
        case .closeSession(let id, _, let message):
            return .sessionClosed(append(message, session: id))
        case .openComplaint(let ticket, let answerBy, let continuing):
            let number = continuing ?? "ADU-2027-\(String(format: "%06d", complaints.count + 1))"
            let complaint =
                complaints[number]
                ?? ComplaintCase(
                    number: number, applicant: ticket.applicant, about: ticket.excludedStaff, status: .open, answerBy: answerBy,
                    openedAt: now)
            complaints[number] = complaint
            return .complaint(complaint)
        case .updateComplaint(let number, let status, _, _):
            guard var complaint = complaints[number] else { return .failed(StoreFailure(.notFound, "no case")) }
            complaint.status = status
            complaints[number] = complaint
            return .complaint(complaint)
        case .notify(let record):
            return .notified(record, duplicate: !notified.insert(record.id).inserted)
        case .followUps:
            return .followUps([])
        case .openInterview(_, let record, _, let messages):
            return .sessionOpened(messages.map { append($0, session: record.id) })
        case .changeMembers(let change):
            return .membersChanged(change.messages.map { append($0, session: change.session) })
        case .history(let id, let after, let limit):
            let later = (stored[id] ?? []).filter { $0.seq > after }
            return .history(Array(later.prefix(limit)), more: later.count > limit)
        case .transcript:
            return .transcript(nil)
        default:
            return .done
        }
    }

    mutating func append(_ message: NewMessage, session: SessionID) -> StoredMessage {
        let seq = lastSeq[session, default: 0] + 1
        lastSeq[session] = seq
        let stored = StoredMessage(seq: seq, message: message, senderName: message.sender.map(\.rawValue))
        self.stored[session, default: []].append(stored)
        if let id = message.clientMessageID { byClientID["\(session)/\(id.rawValue)"] = stored }
        return stored
    }
}

extension [BrokerAction] {
    /// The JSON frames sent to one connection, in order.
    func frames(to connection: ConnectionID) -> [JSONObject] {
        compactMap {
            if case .send(connection, let frame) = $0 { return frame.objectValue }
            return nil
        }
    }

    func frames(to connection: ConnectionID, type: String) -> [JSONObject] {
        frames(to: connection).filter { $0["type"] == .string(type) }
    }

    func closes(_ connection: ConnectionID) -> [CloseCode] {
        compactMap {
            if case .close(connection, let code) = $0 { return code }
            return nil
        }
    }
}

extension Identity {
    static let layla = Identity(id: ParticipantID("a-17"), role: .applicant, name: "ليلى", langs: ["ar", "en"], locale: "ar")
    static let wei = Identity(id: ParticipantID("a-18"), role: .applicant, name: "王伟", langs: ["zh"], locale: "zh-Hans-CN")
    static let siti = Identity(id: ParticipantID("c-1"), role: .counsellor, name: "Siti", langs: ["id", "en", "ar"], capacity: 2)
    static let budi = Identity(id: ParticipantID("c-2"), role: .counsellor, name: "Budi", langs: ["id", "ar", "zh"], capacity: 2)
    static let ahmad = Identity(id: ParticipantID("o-1"), role: .officer, name: "Ahmad", langs: ["id", "ar"], capacity: 1)
    static let lin = Identity(id: ParticipantID("i-1"), role: .interpreter, name: "Lin", langs: ["zh", "id"], capacity: 2)
    static let dewi = Identity(id: ParticipantID("o-2"), role: .officer, name: "Dewi", langs: ["id", "en"], capacity: 2)
    static let maya = Identity(id: ParticipantID("sv-1"), role: .supervisor, name: "Maya", langs: ["id", "en"])
}
