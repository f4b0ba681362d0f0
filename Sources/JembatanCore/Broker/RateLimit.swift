import Foundation

/// A token bucket: `rate` frames a second on average, bursts up to `burst`.
struct TokenBucket {
    var rate: Double
    var burst: Double
    private var tokens: Double
    private var last: Date?

    init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = burst
        self.tokens = burst
    }

    /// Takes one token if there is one.
    mutating func take(now: Date) -> Bool {
        if let last { tokens = min(burst, tokens + max(0, now.timeIntervalSince(last)) * rate) }
        last = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}

/// Limits with clear answers (all in ``BrokerConfiguration``).
public struct Limits: Sendable {
    /// Frames a second per connection, and the burst allowed; 0 turns rate limits off (load
    /// tests, crash tests).
    public var connectionRate = 20.0
    public var connectionBurst = 40.0
    /// Frames a second per participant over all their connections, and the burst.
    public var participantRate = 30.0
    public var participantBurst = 60.0
    /// Frames refused for rate within `refusalWindowSeconds` before the connection is closed (1008).
    public var maxRateRefusals = 20
    public var refusalWindowSeconds = 10.0
    /// Tickets an applicant may have waiting at once (one per service at most).
    public var maxOpenTicketsPerApplicant = 1
    /// A staff member's sessions at once, whatever their token's `capacity` says.
    public var maxSessionsPerStaff = 10

    public init() {}

    /// `perSecond` frames a second per connection (a participant gets 1.5 times that over all
    /// their connections; bursts twice those); 0 turns rate limits off.
    public mutating func setRate(_ perSecond: Double) {
        connectionRate = perSecond
        connectionBurst = perSecond * 2
        participantRate = perSecond * 1.5
        participantBurst = perSecond * 3
    }
}

extension Broker {
    /// Both buckets must have a token; a refusal answers `rate_limited`, and a connection that
    /// keeps going is closed with 1008.
    mutating func admit(_ connection: ConnectionID, _ identity: Identity, re: String?, now: Date) -> [BrokerAction]? {
        let limits = configuration.limits
        guard limits.connectionRate > 0 else { return nil }
        var state = connections[connection]!
        var participantBucket =
            participantBuckets[identity.id] ?? TokenBucket(rate: limits.participantRate, burst: limits.participantBurst)
        let connectionOK = state.bucket.take(now: now)
        let participantOK = connectionOK && participantBucket.take(now: now)
        participantBuckets[identity.id] = participantBucket
        guard !(connectionOK && participantOK) else {
            connections[connection] = state
            return nil
        }
        if let first = state.firstRefusal, now.timeIntervalSince(first) <= limits.refusalWindowSeconds {
            state.refusals += 1
        } else {
            state.firstRefusal = now
            state.refusals = 1
        }
        connections[connection] = state
        let error = errorFrame(connection, FrameError(.rate_limited, detail: "too many frames; slow down", requestID: re))
        return state.refusals >= limits.maxRateRefusals ? [error, .close(connection, .policy)] : [error]
    }
}
