import Foundation
import GRDB
import JembatanCore

/// Figures for policy, from the database alone (so they survive restarts): one pass over the
/// range's tickets with their sessions, outcomes and ratings, grouped in Swift.
extension SQLiteStore {
    static func stats(_ query: StatsQuery, _ db: Database) throws -> StatsReport {
        let offset = Double(TimeZone(identifier: query.timeZone)?.secondsFromGMT() ?? 0)
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT t.created_at, t.service, t.language, t.state, s.opened_at, s.closed_at, s.outcome, f.rating,
                    EXISTS (SELECT 1 FROM session_participants sp WHERE sp.session_id = s.id AND sp.role = 'interpreter') AS interpreted
                FROM tickets t
                LEFT JOIN sessions s ON s.ticket_id = t.id
                LEFT JOIN feedback f ON f.session_id = s.id
                WHERE t.created_at >= ? AND t.created_at < ? AND t.role IS NULL AND t.session_id IS NULL
                """,
            arguments: [Columns.millis(query.from), Columns.millis(query.to)])
        // Accumulators live in an array and are changed in place (a dictionary of arrays would
        // copy each array on every append).
        var index: [[String]: Int] = [:]
        var groups: [(row: StatsRow, waits: [Double], durations: [Double], ratingSum: Int)] = []
        var days: [Int64: String] = [:]
        while let row = try rows.next() {
            let created: Int64 = row[0]
            var key: [String] = []
            key.reserveCapacity(query.groupBy.count)
            for dimension in query.groupBy {
                switch dimension {
                case .day:
                    let day = (created + Int64(offset * 1000)) / 86_400_000
                    if days[day] == nil {
                        days[day] = String(Timestamp.format(Date(timeIntervalSince1970: Double(day) * 86400)).prefix(10))
                    }
                    key.append(days[day]!)
                case .service: key.append(row[1])
                case .language: key.append(row[2])
                case .office: key.append(query.office)
                }
            }
            let at: Int
            if let found = index[key] {
                at = found
            } else {
                at = groups.count
                index[key] = at
                var fresh = StatsRow()
                fresh.group = Dictionary(uniqueKeysWithValues: zip(query.groupBy, key))
                groups.append((fresh, [], [], 0))
            }
            groups[at].row.tickets += 1
            if (row[3] as String) == TicketState.cancelled.rawValue { groups[at].row.abandoned += 1 }
            guard let opened = row[4] as Int64? else { continue }
            groups[at].row.sessions += 1
            groups[at].waits.append(Double(opened - created) / 1000)
            if (row[8] as Int?) == 1 { groups[at].row.interpreted += 1 }
            if let closed = row[5] as Int64? { groups[at].durations.append(Double(closed - opened) / 1000) }
            if let outcome = row[6] as String? { groups[at].row.outcomes[outcome, default: 0] += 1 }
            if let rating = row[7] as Int? {
                groups[at].row.ratings += 1
                groups[at].ratingSum += rating
            }
        }
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
        return StatsReport(rows: sorted, interpreterPairs: try interpreterPairs(query, db))
    }

    /// Interpreters requested for a pair (and assigned) plus interviews opened, per pair.
    private static func interpreterPairs(_ query: StatsQuery, _ db: Database) throws -> [String: Int] {
        let range: StatementArguments = [Columns.millis(query.from), Columns.millis(query.to)]
        var pairs: [String: Int] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT language AS a, pair_language AS b FROM tickets
                WHERE role = 'interpreter' AND state = 'assigned' AND created_at >= ? AND created_at < ?
                UNION ALL
                SELECT language_a, language_b FROM interviews WHERE state = 'opened' AND starts_at >= ? AND starts_at < ?
                """,
            arguments: range + range)
        {
            let pair = [row["a"] as String? ?? "?", row["b"] as String? ?? "?"].sorted().joined(separator: "-")
            pairs[pair, default: 0] += 1
        }
        return pairs
    }
}
