/// A workload the ``Runner`` drives. Every requirement is called on the client loop's service
/// thread only, where the scenario's delegates run too.
protocol Scenario: AnyObject {
    /// Connections (or sessions) expected before traffic starts, and how many are ready.
    var expected: Int { get }
    var ready: Int { get }
    /// Open connections and set up sessions.
    func start(now: UInt64)
    /// Called every tick (about 1 ms); `sending` is false once the run is draining.
    func tick(now: UInt64, sending: Bool)
    /// Sends not yet confirmed, and messages confirmed to their sender but not yet seen by
    /// their recipient: the run drains until both are 0 (or a deadline passes).
    var outstanding: Int { get }
    var undelivered: Int { get }
    /// Connections that ended without being asked to, and those open now.
    var dropped: Int { get }
    var connections: Int { get }
    /// Extra figures for the report (name, value), e.g. the rush's times.
    func figures(now: UInt64) -> [(String, String)]
    /// Close every connection politely.
    func closeAll()
}

extension Scenario {
    /// No extra figures unless the scenario has some.
    func figures(now: UInt64) -> [(String, String)] { [] }
}

/// Opens connections at most `limit` handshakes at a time (and at most `perSecond` a second
/// when set), so thousands of connects do not all hit the listen backlog at once.
struct Connector {
    var limit: Int
    var perSecond: Double
    private var waiting: [() -> Void] = []
    private var next = 0
    private var inProgress = 0
    private var started: UInt64 = 0
    private var opened = 0

    init(limit: Int, perSecond: Double) {
        self.limit = max(1, limit)
        self.perSecond = perSecond
    }

    mutating func enqueue(_ open: @escaping () -> Void) { waiting.append(open) }

    /// One handshake (and whatever the scenario counts as set-up) finished or failed.
    mutating func finished() { inProgress = max(0, inProgress - 1) }

    var isDone: Bool { next == waiting.count }

    mutating func pump(now: UInt64) {
        if started == 0 { started = now }
        while next < waiting.count, inProgress < limit {
            if perSecond > 0, Double(opened) >= Double(now - started) / 1e9 * perSecond + 1 { return }
            let open = waiting[next]
            waiting[next] = {}
            next += 1
            inProgress += 1
            opened += 1
            open()
        }
    }
}

/// Paced sending: each client sends once per `period`, at its own phase, so the load is
/// spread evenly over the period instead of arriving in bursts.
/// When clients send: once sending starts, either every client fills its window at once
/// (flat out, `rate` 0) or a ``Pacer`` hands out turns at `rate` per client per second.
struct SendSchedule {
    private(set) var isSending = false
    private var pacer: Pacer?

    /// `fill` runs when flat-out sending starts; `due` for each paced client whose turn it is.
    mutating func tick(now: UInt64, sending: Bool, clients: Int, rate: Double, fill: () -> Void, due: (Int) -> Void) {
        if sending && !isSending {
            isSending = true
            if rate > 0 { pacer = Pacer(clients: clients, perSecond: rate) } else { fill() }
        }
        isSending = sending
        guard sending, var pacer else { return }
        pacer.due(now: now, due)
        self.pacer = pacer
    }
}

struct Pacer {
    let periodMilliseconds: Int
    private var buckets: [[Int]]
    private var lastSlot: Int?

    init(clients: Int, perSecond rate: Double) {
        periodMilliseconds = max(1, Int((1000 / rate).rounded()))
        buckets = Array(repeating: [], count: periodMilliseconds)
        var generator = SystemRandomNumberGenerator()
        for client in 0..<clients { buckets[Int.random(in: 0..<periodMilliseconds, using: &generator)].append(client) }
    }

    /// The clients due since the last call.
    mutating func due(now: UInt64, _ body: (Int) -> Void) {
        let slot = Int(now / 1_000_000)
        let first = lastSlot.map { $0 + 1 } ?? slot
        lastSlot = slot
        guard slot >= first else { return }
        // After a stall longer than a period, each client sends once, not once per lost period.
        for current in first...min(slot, first + periodMilliseconds - 1) {
            for client in buckets[current % periodMilliseconds] { body(client) }
        }
    }
}
