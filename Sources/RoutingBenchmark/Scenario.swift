import Foundation
import JembatanCore
import JembatanDriver

/// A broker with `staff` officers and counsellors (1–3 of four languages each, at full
/// capacity) and `tickets` applicants waiting, all connected; then staff close sessions and
/// each freed place is routed to the next ticket while new applicants keep arriving.
struct Scenario {
    struct Figures {
        var seconds: Double
        var decisions: Int
        var frames: Int
        /// `error` frames over the whole run: a frame or store result the benchmark got wrong, so the
        /// figures would not be the scenario described.
        var errors: Int
    }

    let staffCount: Int
    let ticketCount: Int
    let capacity: Int
    let localizer: Localizer
    /// Applicants stay connected and get every `queue.update` (the real cost); off, they
    /// disconnect after queuing, which leaves the routing decision alone.
    var applicantsOnline = true

    static let languages = ["id", "en", "ar", "zh"]

    func run(decisions wanted: Int, seed: UInt64) -> Figures {
        var rng = SplitMix(seed: seed)
        var people: [String: Identity] = [:]
        for index in 0..<staffCount {
            let count = 1 + Int(rng.next() % 3)
            let langs = Array(Self.languages.shuffled(using: &rng).prefix(count))
            let role: Role = index % 3 == 0 ? .counsellor : .officer
            people["st-\(index)"] = Identity(
                id: ParticipantID("st-\(index)"), role: role, name: "Staff \(index)", langs: langs, capacity: capacity)
        }
        let directory = Directory(people: people)
        var driver = Driver(broker: Broker(localizer: localizer, verifier: directory, ids: SequentialIDSource()))
        for index in 0..<staffCount {
            let connection = driver.login("st-\(index)")
            driver.staffConnections[connection] = index
            _ = driver.send(connection, ["type": "status", "availability": "available"])
        }
        // Enough applicants to fill every place, then the waiting line.
        var next = 0
        func arrive(_ driver: inout Driver) {
            let id = "ap-\(next)"
            next += 1
            let service = Service.allCases[Int(rng.next() % UInt64(Service.allCases.count))]
            let language = Self.languages[Int(rng.next() % 4)]
            directory.people[id] = Identity(id: ParticipantID(id), role: .applicant, name: "Applicant", langs: [language])
            let connection = driver.login(id)
            _ = driver.send(connection, ["type": "request", "service": .string(service.rawValue), "language": .string(language)])
            if !applicantsOnline { driver.broker.disconnected(connection, now: Date()) }
        }
        while next < staffCount * capacity + ticketCount { arrive(&driver) }

        let clock = ContinuousClock()
        var decisions = 0
        var frames = 0
        let elapsed = clock.measure {
            while decisions < wanted, !driver.active.isEmpty {
                let index = Int(rng.next() % UInt64(driver.active.count))
                let (session, staff) = driver.active.swapRemoveAt(index)
                let before = driver.opened
                frames += driver.send(staff, ["type": "close", "session": .string(session.rawValue), "reason": "resolved"])
                decisions += driver.opened - before
                arrive(&driver)  // the line stays as long
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Figures(seconds: seconds, decisions: decisions, frames: frames, errors: driver.errors)
    }
}

/// Feeds frames to the broker and completes its store work; remembers open sessions.
struct Driver {
    var broker: Broker
    var store = InstantStore()
    var nextConnection: UInt64 = 0
    var staffConnections: [ConnectionID: Int] = [:]
    var active: [(SessionID, ConnectionID)] = []
    var opened = 0
    var errors = 0

    init(broker: Broker) { self.broker = broker }

    mutating func login(_ id: String) -> ConnectionID {
        nextConnection += 1
        let connection = ConnectionID(nextConnection)
        broker.connected(connection)
        _ = send(connection, ["type": "hello", "token": .string(id)])
        return connection
    }

    /// Sends one frame; returns how many frames went out to clients as a result.
    @discardableResult
    mutating func send(_ connection: ConnectionID, _ frame: JSONObject) -> Int {
        var queue = broker.received(JSONWriter.bytes(.object(frame)), from: connection, now: Date())
        var frames = 0
        var next = 0
        while next < queue.count {
            let action = queue[next]
            next += 1
            switch action {
            case .store(let request, let command):
                queue += broker.stored(request, result: store.perform(command), now: Date())
            case .send(let to, let value):
                frames += 1
                if value.objectValue?["type"] == "error" { errors += 1 }
                if staffConnections[to] != nil, let object = value.objectValue, object["type"] == "session.started",
                    let id = object["session"]?.objectValue?["id"]?.stringValue
                {
                    active.append((SessionID(id), to))
                    opened += 1
                }
            case .close, .relay:
                break
            }
        }
        return frames
    }
}

/// Tokens are participant ids. A class, so applicants added during the run are known to the
/// broker's copy; the benchmark runs on one thread.
final class Directory: TokenVerifying, @unchecked Sendable {
    var people: [String: Identity]
    init(people: [String: Identity]) { self.people = people }
    func verify(_ token: String, now: Date) -> Identity? { people[token] }
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Array {
    /// Removes in O(1), not keeping order.
    mutating func swapRemoveAt(_ index: Int) -> Element {
        swapAt(index, count - 1)
        return removeLast()
    }
}
