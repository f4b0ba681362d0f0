import JembatanClient

/// The floor: the same connections, payloads and messages in flight against a raw
/// libwebsockets echo server (Scripts/floor/echo.c). Latency is send → echo back.
final class EchoScenario: Scenario {
    let settings: ChatScenario.Settings
    let tally: Tally
    let payload: Payload
    let loop: ClientLoop
    var connector: Connector
    var closing = false
    var dropped = 0
    var connections = 0
    private var clients: [EchoClient] = []
    private var schedule = SendSchedule()
    private var sending: Bool { schedule.isSending }

    init(settings: ChatScenario.Settings, payload: Payload, tally: Tally, loop: ClientLoop) {
        self.settings = settings
        self.payload = payload
        self.tally = tally
        self.loop = loop
        connector = Connector(limit: settings.connectConcurrency, perSecond: settings.connectRate)
    }

    var expected: Int { settings.pairs * 2 }
    var ready: Int { connections }
    var outstanding: Int { clients.reduce(0) { $0 + $1.outstanding } }
    // An echo server confirms by delivering: nothing can be confirmed yet undelivered.
    var undelivered: Int { 0 }

    func start(now: UInt64) {
        clients = (0..<expected).map { EchoClient(index: $0, scenario: self) }
        for client in clients {
            connector.enqueue { [unowned self] in
                client.client = WebSocketClient.open(
                    host: settings.host, port: settings.port, path: "/", subprotocol: nil, loop: loop, delegate: client)
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
                if clients[index].outstanding >= settings.window { tally.meter.skipped += 1 } else { clients[index].send(now: now) }
            })
    }

    func echoed(_ client: EchoClient, now: UInt64) {
        if sending && settings.rate == 0 { fill(client, now: now) }
    }

    private func fill(_ client: EchoClient, now: UInt64) {
        while client.open && client.outstanding < settings.window { client.send(now: now) }
    }

    func closeAll() {
        closing = true
        for client in clients { client.client?.close() }
    }
}

/// One connection to the echo server.
final class EchoClient: WebSocketDelegate, @unchecked Sendable {
    // Safe: touched only on the client loop's service thread.
    let index: Int
    unowned let scenario: EchoScenario
    var client: WebSocketClient?
    var open = false
    var outstanding = 0
    private var counter = 0

    init(index: Int, scenario: EchoScenario) {
        self.index = index
        self.scenario = scenario
    }

    func webSocketDidOpen(_ client: WebSocketClient) {
        open = true
        scenario.connections += 1
        scenario.connector.finished()
    }

    func webSocket(_ client: WebSocketClient, didReceive message: [UInt8], binary: Bool) {
        let now = monotonicNow()
        guard let origin = Payload.origin(of: message), origin.sender == index else { return }
        outstanding -= 1
        scenario.tally.meter.acknowledged += 1
        scenario.tally.meter.recordDelivery(sentAt: origin.sentAt, now: now)
        scenario.echoed(self, now: now)
    }

    func webSocket(_ client: WebSocketClient, didEndWithCode code: UInt16?, failure: ClientError?) {
        if open { scenario.connections -= 1 } else { scenario.connector.finished() }
        open = false
        if !scenario.closing { scenario.dropped += 1 }
    }

    func send(now: UInt64) {
        counter += 1
        outstanding += 1
        scenario.tally.meter.sent += 1
        client?.send(rawTextBytes: scenario.payload.frame(sender: index, counter: counter, session: "p\(index / 2)", now: now))
    }
}
