import Foundation
import JembatanCore
import JembatanStore

/// Figures for policy, tallied by ``StatsTally`` from the same queries as the SQLite store.
extension PostgresStore {
    func stats(_ query: StatsQuery) throws -> StatsReport {
        var tally = StatsTally(query)
        let range: [SQLArgument] = [.int(tally.range.from), .int(tally.range.to)]
        for row in try link.query(StatsTally.ticketsSQL, range) { try tally.add(ticket: row) }
        for row in try link.query(StatsTally.pairsSQL, range) { try tally.add(pair: row) }
        return tally.report()
    }
}
