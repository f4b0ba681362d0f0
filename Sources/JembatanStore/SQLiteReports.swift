import Foundation
import GRDB
import JembatanCore

/// A second, read-only connection to the broker's database for reports, used from its own
/// thread: in WAL mode its reads see the last commit and never hold up the writer, so a year
/// of figures does not delay anyone's message.
public final class SQLiteReports: BrokerStore {
    let dbQueue: DatabaseQueue

    /// `path` must already hold a migrated database (the broker's store opens it first).
    public init(path: String) throws {
        var config = Configuration()
        config.readonly = true
        config.label = "jembatan-reports"
        dbQueue = try DatabaseQueue(path: path, configuration: config)
    }

    /// The same reads over an existing store's connection (in-memory tests).
    public init(sharing store: SQLiteStore) {
        dbQueue = store.dbQueue
    }

    public func perform(_ commands: [StoreCommand]) -> [StoreResult] {
        commands.map { command in
            guard case .stats(let query) = command else {
                return .failed(StoreFailure(.unavailable, "the reports connection only reads figures"))
            }
            do {
                return .stats(try dbQueue.read { try SQLiteStore.stats(query, $0) })
            } catch let failure as StoreFailure {
                return .failed(failure)
            } catch {
                return .failed(StoreFailure(.unavailable, "figures could not be read"))
            }
        }
    }

    public func recover() throws -> RecoveredState { RecoveredState() }
}
