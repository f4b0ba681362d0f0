import Foundation

/// What `GET /api/stats` groups by. `office` is this broker's office name (one per broker).
public enum StatsDimension: String, Sendable, CaseIterable {
    case day, service, language, office
}

public struct StatsQuery: Sendable, Equatable {
    public var from: Date
    public var to: Date
    public var groupBy: [StatsDimension]
    /// Days are counted in the office's time zone.
    public var timeZone: String
    public var office: String

    public init(from: Date, to: Date, groupBy: [StatsDimension], timeZone: String, office: String) {
        self.from = from
        self.to = to
        self.groupBy = groupBy
        self.timeZone = timeZone
        self.office = office
    }
}

/// Figures for one group: applicants' tickets opened in the range and what became of them.
public struct StatsRow: Sendable, Equatable {
    public var group: [StatsDimension: String] = [:]
    public var tickets = 0
    /// Left the queue before being served (cancelled or away past the grace period).
    public var abandoned = 0
    public var sessions = 0
    /// Sessions with an interpreter in them.
    public var interpreted = 0
    public var waitMedian: Int?
    public var waitP90: Int?
    public var durationMedian: Int?
    public var durationP90: Int?
    public var ratings = 0
    public var ratingAverage: Double?
    public var outcomes: [String: Int] = [:]

    public init() {}
}

public struct StatsReport: Sendable, Equatable {
    public var rows: [StatsRow]
    /// Interpreted sessions and interviews per language pair ("ar-id").
    public var interpreterPairs: [String: Int]

    public init(rows: [StatsRow], interpreterPairs: [String: Int]) {
        self.rows = rows
        self.interpreterPairs = interpreterPairs
    }
}

extension StatsRow {
    /// The median and 90th percentile (nearest rank) of whole seconds.
    public static func percentiles(_ values: [Double]) -> (Int?, Int?) {
        guard !values.isEmpty else { return (nil, nil) }
        let sorted = values.sorted()
        func rank(_ p: Double) -> Int { Int(sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)].rounded()) }
        return (rank(0.5), rank(0.9))
    }
}
