import Foundation
import GRDB
import JembatanCore

/// Figures for policy, from the database alone (so they survive restarts), tallied by
/// ``StatsTally`` (shared with the PostgreSQL store).
extension SQLiteStore {
    static func stats(_ query: StatsQuery, _ db: Database) throws -> StatsReport {
        var tally = StatsTally(query)
        let range: StatementArguments = [tally.range.from, tally.range.to]
        let rows = try Row.fetchCursor(db, sql: StatsTally.ticketsSQL, arguments: range)
        while let row = try rows.next() { try tally.add(ticket: row) }
        for row in try Row.fetchAll(db, sql: StatsTally.pairsSQL, arguments: range) { try tally.add(pair: row) }
        return tally.report()
    }
}
