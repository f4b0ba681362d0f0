import Foundation
import JembatanCore

/// The figures of a ``StatsQuery``, tallied in Swift from rows either store reads with the
/// same SQL: one pass over the range's tickets with their sessions, outcomes and ratings
/// (``ticketsSQL``), and the interpreter pairs (``pairsSQL``). Parameters are `$1` (from)
/// and `$2` (to) in both: SQLite reads `$1` as a named parameter bound by position.
package struct StatsTally {
    package static let ticketsSQL = """
        SELECT t.created_at, t.service, t.language, t.state, s.opened_at, s.closed_at, s.outcome, f.rating,
            CASE WHEN EXISTS (SELECT 1 FROM session_participants sp WHERE sp.session_id = s.id AND sp.role = 'interpreter')
                THEN 1 ELSE 0 END AS interpreted
        FROM tickets t
        LEFT JOIN sessions s ON s.ticket_id = t.id
        LEFT JOIN feedback f ON f.session_id = s.id
        WHERE t.created_at >= $1 AND t.created_at < $2 AND t.role IS NULL AND t.session_id IS NULL
        """

    /// Interpreters requested for a pair (and assigned) plus interviews opened, per pair.
    package static let pairsSQL = """
        SELECT language AS a, pair_language AS b FROM tickets
        WHERE role = 'interpreter' AND state = 'assigned' AND created_at >= $1 AND created_at < $2
        UNION ALL
        SELECT language_a, language_b FROM interviews WHERE state = 'opened' AND starts_at >= $1 AND starts_at < $2
        """

    private let query: StatsQuery
    private let offsetMillis: Int64
    // Accumulators live in an array and are changed in place (a dictionary of arrays would
    // copy each array on every append).
    private var index: [[String]: Int] = [:]
    private var groups: [(row: StatsRow, waits: [Double], durations: [Double], ratingSum: Int)] = []
    private var days: [Int64: String] = [:]
    private var pairs: [String: Int] = [:]

    package init(_ query: StatsQuery) {
        self.query = query
        offsetMillis = Int64(TimeZone(identifier: query.timeZone)?.secondsFromGMT() ?? 0) * 1000
    }

    /// The range as the two parameters of both queries.
    package var range: (from: Int64, to: Int64) { (Columns.millis(query.from), Columns.millis(query.to)) }

    /// One row of ``ticketsSQL``.
    package mutating func add(ticket row: some StoredRow) throws {
        guard let created = try row.integer("created_at") else { throw UnreadableRow(column: "created_at") }
        var key: [String] = []
        key.reserveCapacity(query.groupBy.count)
        for dimension in query.groupBy {
            switch dimension {
            case .day: key.append(day(created))
            case .service: key.append(try row.requiredText("service"))
            case .language: key.append(try row.requiredText("language"))
            case .office: key.append(query.office)
            }
        }
        let at = group(key)
        groups[at].row.tickets += 1
        if try row.requiredText("state") == TicketState.cancelled.rawValue { groups[at].row.abandoned += 1 }
        guard let opened = try row.integer("opened_at") else { return }
        groups[at].row.sessions += 1
        groups[at].waits.append(Double(opened - created) / 1000)
        if try row.integer("interpreted") == 1 { groups[at].row.interpreted += 1 }
        if let closed = try row.integer("closed_at") { groups[at].durations.append(Double(closed - opened) / 1000) }
        if let outcome = try row.text("outcome") { groups[at].row.outcomes[outcome, default: 0] += 1 }
        if let rating = try row.optionalInt("rating") {
            groups[at].row.ratings += 1
            groups[at].ratingSum += rating
        }
    }

    /// One row of ``pairsSQL``.
    package mutating func add(pair row: some StoredRow) throws {
        let pair = [try row.text("a") ?? "?", try row.text("b") ?? "?"].sorted().joined(separator: "-")
        pairs[pair, default: 0] += 1
    }

    package func report() -> StatsReport {
        let result = groups.map { group -> StatsRow in
            var row = group.row
            (row.waitMedian, row.waitP90) = StatsRow.percentiles(group.waits)
            (row.durationMedian, row.durationP90) = StatsRow.percentiles(group.durations)
            if row.ratings > 0 { row.ratingAverage = (Double(group.ratingSum) / Double(row.ratings) * 100).rounded() / 100 }
            return row
        }
        let sorted = result.sorted { a, b in
            query.groupBy.map { a.group[$0] ?? "" }.lexicographicallyPrecedes(query.groupBy.map { b.group[$0] ?? "" })
        }
        return StatsReport(rows: sorted, interpreterPairs: pairs)
    }

    /// The office day of an epoch millisecond, `YYYY-MM-DD`.
    private mutating func day(_ created: Int64) -> String {
        let day = (created + offsetMillis) / 86_400_000
        if let known = days[day] { return known }
        let text = String(Timestamp.format(Date(timeIntervalSince1970: Double(day) * 86400)).prefix(10))
        days[day] = text
        return text
    }

    private mutating func group(_ key: [String]) -> Int {
        if let found = index[key] { return found }
        index[key] = groups.count
        var fresh = StatsRow()
        fresh.group = Dictionary(uniqueKeysWithValues: zip(query.groupBy, key))
        groups.append((fresh, [], [], 0))
        return groups.count - 1
    }
}
