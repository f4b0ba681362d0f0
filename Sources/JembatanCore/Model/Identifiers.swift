/// A participant's stable id: the `sub` claim of their token.
public struct ParticipantID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// A chat session's id (`s-…`).
public struct SessionID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// A queue ticket's id (`t-…`).
public struct TicketID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// A client's idempotency key for one message.
public struct ClientMessageID: RawRepresentable, Hashable, Sendable, Codable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// One WebSocket connection, numbered by the server that owns it.
public struct ConnectionID: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public var description: String { "c\(rawValue)" }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// Makes ids for tickets and sessions. Injected so tests get predictable ids.
public protocol IDSource: Sendable {
    mutating func next(prefix: String) -> String
}

/// Random, unguessable ids: `s-` followed by 12 base-32 characters (60 bits).
public struct RandomIDSource: IDSource {
    public init() {}
    public mutating func next(prefix: String) -> String {
        let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")
        var generator = SystemRandomNumberGenerator()
        let body = (0..<12).map { _ in alphabet[Int(generator.next() % 32)] }
        return prefix + "-" + String(body)
    }
}

/// Sequential ids (`s-1`, `s-2`, …) for tests.
public struct SequentialIDSource: IDSource {
    private var counters: [String: Int] = [:]
    public init() {}
    public mutating func next(prefix: String) -> String {
        counters[prefix, default: 0] += 1
        return "\(prefix)-\(counters[prefix]!)"
    }
}

/// A booked interview's id (`iv-…`).
public struct InterviewID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}
