import JembatanClient

/// MQTT 3.1.1 over WebSocket (subprotocol `mqtt`, binary frames) in the same pairs pattern:
/// both clients of a pair subscribe to the pair's topic at QoS 1 and publish to it, so each
/// receives the other's messages (and its own, which are not counted). Confirmation is the
/// broker's PUBACK; delivery is the other client's receipt of the PUBLISH.
final class MQTTScenario: Scenario {
    let settings: ChatScenario.Settings
    let tally: Tally
    let payload: Payload
    let loop: ClientLoop
    var connector: Connector
    var closing = false
    var dropped = 0
    var connections = 0
    private(set) var clients: [MQTTClient] = []
    private var schedule = SendSchedule()
    private var sending: Bool { schedule.isSending }
    private let run = String(UInt32.random(in: 0...UInt32.max), radix: 36)

    init(settings: ChatScenario.Settings, payload: Payload, tally: Tally, loop: ClientLoop) {
        self.settings = settings
        self.payload = payload
        self.tally = tally
        self.loop = loop
        connector = Connector(limit: settings.connectConcurrency, perSecond: settings.connectRate)
    }

    var expected: Int { settings.pairs * 2 }
    var ready: Int { clients.count { $0.subscribed } }
    var outstanding: Int { clients.reduce(0) { $0 + $1.inFlight.count } }
    var undelivered: Int {
        clients.reduce(0) { total, client in total + max(0, client.acknowledged - clients[client.index ^ 1].received) }
    }

    func start(now: UInt64) {
        clients = (0..<expected).map { MQTTClient(index: $0, clientID: "load-\(run)-\($0)", scenario: self) }
        for client in clients {
            connector.enqueue { [unowned self] in
                client.client = WebSocketClient.open(
                    host: settings.host, port: settings.port, path: "/mqtt", subprotocol: "mqtt", loop: loop, delegate: client)
            }
        }
        connector.pump(now: now)
    }

    func tick(now: UInt64, sending: Bool) {
        connector.pump(now: now)
        schedule.tick(
            now: now, sending: sending, clients: clients.count, rate: settings.rate,
            fill: { for client in clients { fill(client, now: now) } },
            due: { index in
                if clients[index].inFlight.count >= settings.window {
                    tally.meter.skipped += 1
                } else {
                    clients[index].publish(now: now)
                }
            })
    }

    func acknowledged(_ client: MQTTClient, now: UInt64) {
        if sending && settings.rate == 0 { fill(client, now: now) }
    }

    private func fill(_ client: MQTTClient, now: UInt64) {
        while client.subscribed && client.inFlight.count < settings.window { client.publish(now: now) }
    }

    func closeAll() {
        closing = true
        for client in clients { client.client?.close() }
    }
}

/// One MQTT client connection.
final class MQTTClient: WebSocketDelegate, @unchecked Sendable {
    // Safe: touched only on the client loop's service thread.
    let index: Int
    let clientID: String
    unowned let scenario: MQTTScenario
    var client: WebSocketClient?
    var subscribed = false
    var inFlight = Set<UInt16>()
    var acknowledged = 0
    var received = 0
    private var buffer: [UInt8] = []
    private var nextPacketID: UInt16 = 1
    private var counter = 0
    private var topic: String { "p/\(index / 2)" }

    init(index: Int, clientID: String, scenario: MQTTScenario) {
        self.index = index
        self.clientID = clientID
        self.scenario = scenario
    }

    func webSocketDidOpen(_ client: WebSocketClient) {
        client.send(binary: MQTTPacket.connect(clientID: clientID))
    }

    func webSocket(_ client: WebSocketClient, didReceive message: [UInt8], binary: Bool) {
        let now = monotonicNow()
        buffer += message
        guard let packets = MQTTPacket.drain(&buffer) else {
            client.close(code: 1002)
            return
        }
        for packet in packets {
            switch packet {
            case .connectAcknowledged(let code):
                if code == 0 { client.send(binary: MQTTPacket.subscribe(topic: topic, packetID: takePacketID())) }
            case .subscribeAcknowledged:
                subscribed = true
                scenario.connections += 1
                scenario.connector.finished()
            case .publishAcknowledged(let packetID):
                guard inFlight.remove(packetID) != nil else { continue }
                acknowledged += 1
                scenario.tally.meter.acknowledged += 1
                scenario.acknowledged(self, now: now)
            case .publish(_, let packetID, let payload):
                if let packetID { client.send(binary: MQTTPacket.publishAcknowledgement(packetID: packetID)) }
                guard let origin = Payload.origin(of: payload), origin.sender != index else { continue }
                received += 1
                scenario.tally.meter.recordDelivery(sentAt: origin.sentAt, now: now)
            case .other:
                break
            }
        }
    }

    func webSocket(_ client: WebSocketClient, didEndWithCode code: UInt16?, failure: ClientError?) {
        if subscribed { scenario.connections -= 1 } else { scenario.connector.finished() }
        subscribed = false
        if !scenario.closing { scenario.dropped += 1 }
    }

    func publish(now: UInt64) {
        guard let client else { return }
        counter += 1
        let packetID = takePacketID()
        inFlight.insert(packetID)
        scenario.tally.meter.sent += 1
        let body = scenario.payload.frame(sender: index, counter: counter, session: "p\(index / 2)", now: now)
        client.send(binary: MQTTPacket.publish(topic: topic, packetID: packetID, payload: body))
    }

    private func takePacketID() -> UInt16 {
        defer { nextPacketID = nextPacketID == UInt16.max ? 1 : nextPacketID + 1 }
        return nextPacketID
    }
}
