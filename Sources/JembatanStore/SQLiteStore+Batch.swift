import Foundation
import GRDB
import JembatanCore

/// One batch of commands, one transaction (the group commit).
extension SQLiteStore {
    /// Performs `commands` in one immediate write transaction. A command that fails fails
    /// alone and answers `.failed`; if the transaction cannot begin or commit, nothing was
    /// stored and every answer is `.failed(.unavailable)`.
    ///
    /// A savepoint around every command (so one can fail alone) cost a tenth of the store
    /// thread's time, and commands almost never fail. So the batch first runs without them;
    /// if a command fails, perhaps halfway through its rows, the whole transaction is rolled
    /// back and the batch runs again with each command in its own savepoint.
    ///
    /// New text messages join the search backlog (``SearchBacklog``), indexed in the same
    /// transaction when it is due or before a command reads or erases the index.
    public func perform(_ commands: [StoreCommand]) -> [StoreResult] {
        guard !commands.isEmpty else { return [] }
        let backlog = searchBacklog.withLock { backlog in
            defer { backlog = SearchBacklog() }
            return backlog
        }
        // Taken out: a batch that does not commit must leave no memo behind.
        let memo = writerMemo.withLock { memo in
            defer { memo = WriterMemo() }
            return memo
        }
        do {
            do {
                return try commit(commands, backlog, memo, isolated: false)
            } catch is CommandFailed {
                // The backlog's entries were taken into the rolled-back attempt: read them back.
                return try commit(commands, SearchBacklog(lost: true), WriterMemo(), isolated: true)
            }
        } catch {
            // What the backlog held is committed but was not indexed: read it back next time.
            searchBacklog.withLock { $0 = SearchBacklog(lost: true) }
            let failure = StoreFailure(.unavailable, "batch not committed: \(Self.describe(error))")
            return Array(repeating: .failed(failure), count: commands.count)
        }
    }

    private func commit(
        _ commands: [StoreCommand], _ backlog: SearchBacklog, _ memo: WriterMemo, isolated: Bool
    ) throws -> [StoreResult] {
        var backlog = backlog
        var memo = memo
        // Moved out, not shared: appending to a shared array would copy it every batch.
        var unindexed = backlog.entries
        backlog.entries = []
        var restarted = false
        let results = try dbQueue.writeWithoutTransaction { db in
            defer { finishCheckpoint(db) }
            var results: [StoreResult] = []
            results.reserveCapacity(commands.count)
            // Immediate: take the write lock up front, so a reader upgrading mid-batch
            // cannot make us fail halfway.
            try db.inTransaction(.immediate) {
                if backlog.lost { try Self.indexMissed(db) }
                for command in commands {
                    // SQLite rolls the whole transaction back by itself on some errors (disk
                    // full, I/O). Carrying on would run later commands in autocommit and
                    // then report them as not stored: abandon the batch instead.
                    guard db.isInsideTransaction else { throw BatchAborted() }
                    if command.usesSearchIndex {
                        // A failure here fails the batch: nothing is acknowledged that search misses.
                        try Self.index(unindexed, db, &memo)
                        unindexed = []
                        restarted = true
                    }
                    let result = isolated ? performIsolated(command, db, &memo) : try performOptimistically(command, db, &memo)
                    // An append inserts its message last (what follows only reads), so the
                    // last inserted rowid is the message's.
                    if case .append(let message) = command, case .appended(_, duplicate: false) = result,
                        let words = Self.searchWords(message)
                    {
                        unindexed.append(SearchEntry(rowid: db.lastInsertedRowID, words: words))
                    }
                    results.append(result)
                }
                let now = ContinuousClock.now
                if backlog.leaving(unindexed, restarted: restarted, now: now).isDue(now: now) {
                    try Self.index(unindexed, db, &memo)
                    unindexed = []
                    restarted = true
                }
                return .commit
            }
            return results
        }
        searchBacklog.withLock { $0 = backlog.leaving(unindexed, restarted: restarted, now: .now) }
        writerMemo.withLock { $0 = memo.keptPastBatch() }
        return results
    }

    /// Runs one command with no savepoint; any error abandons the attempt (``CommandFailed``).
    private func performOptimistically(_ command: StoreCommand, _ db: Database, _ memo: inout WriterMemo) throws -> StoreResult {
        do {
            return try Self.perform(command, db, &memo)
        } catch {
            throw CommandFailed()
        }
    }

    /// Runs one command in its own savepoint and turns any error into its answer.
    private func performIsolated(_ command: StoreCommand, _ db: Database, _ memo: inout WriterMemo) -> StoreResult {
        var result = StoreResult.done
        // What the command taught the memo is kept only if its savepoint is.
        var attempt = memo
        do {
            try db.inSavepoint {
                result = try Self.perform(command, db, &attempt)
                return .commit
            }
            memo = attempt
            return result
        } catch let failure as StoreFailure {
            return .failed(failure)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            return .failed(StoreFailure(.conflict, "constraint violated (\(Self.describe(error)))"))
        } catch {
            return .failed(StoreFailure(.unavailable, Self.describe(error)))
        }
    }

    /// Between two batches, when the background checkpointer asks: copies what was written
    /// since its last pass, so that the next transaction starts the log afresh; after that
    /// transaction the copier resumes. If the copy is busy or leaves a page, the next batch
    /// tries again.
    private func finishCheckpoint(_ db: Database) {
        guard let checkpointer else { return }
        switch checkpointer.restart {
        case .idle:
            break
        case .requested:
            guard let (logFrames, copied) = try? db.checkpoint(.passive), copied == logFrames else { return }
            checkpointer.restart = .copied
        case .copied:
            checkpointer.restart = .idle  // this batch's transaction restarted the log
        }
    }

}

/// SQLite ended the batch's transaction on its own; see ``SQLiteStore/perform(_:)``.
struct BatchAborted: Error {}

extension StoreCommand {
    /// Reads or erases the search index: the backlog must be in it first.
    var usesSearchIndex: Bool {
        switch self {
        case .search, .purge: true
        default: false
        }
    }
}

/// A command failed in a batch run without savepoints; see ``SQLiteStore/perform(_:)``.
private struct CommandFailed: Error {}
