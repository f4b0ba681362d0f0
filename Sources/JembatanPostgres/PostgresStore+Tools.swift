import JembatanCore
import JembatanStore

/// Commands beyond conversations. Not yet ported to PostgreSQL: they answer `unavailable`
/// with a description saying so.
extension PostgresStore {
    func performTools(_ command: StoreCommand) throws -> StoreResult {
        throw StoreFailure(.unavailable, "this command is not available on PostgreSQL yet")
    }
}
