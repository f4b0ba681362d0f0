import GRDB
import GRDBSQLite

/// One run of a cached write statement with its values bound through SQLite's C API.
///
/// GRDB's `execute(arguments:)` boxes each value as a `DatabaseValue` and nests a closure per
/// argument; on the message insert (16 values) that was about a third of the insert's
/// instructions (README, "Where the time goes"). Only for statements the store thread runs
/// inside its batch transaction: GRDB does not see them run, which matters to nothing here
/// (no transaction observers; a plain write never begins or ends a transaction).
struct BoundStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer?
    private var index: Int32 = 0

    /// `sql` is prepared once per connection (GRDB's statement cache).
    init(_ sql: String, _ db: Database) throws {
        handle = try db.cachedStatement(sql: sql).sqliteStatement
        connection = db.sqliteConnection
        // The statement may still hold the last run's state (GRDB resets before a run, not after).
        sqlite3_reset(handle)
    }

    mutating func bind(_ value: String?) {
        index += 1
        guard let value else { return bindNull() }
        var text = value
        // SQLite copies the bytes (transient): the string's storage lives only for this call.
        text.withUTF8 { utf8 in
            _ = sqlite3_bind_text(
                handle, index, utf8.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, Int32(utf8.count),
                Self.transient)
        }
    }

    mutating func bind(_ value: Int?) {
        index += 1
        guard let value else { return bindNull() }
        sqlite3_bind_int64(handle, index, Int64(value))
    }

    mutating func bind(_ value: Int64) {
        index += 1
        sqlite3_bind_int64(handle, index, value)
    }

    private func bindNull() { sqlite3_bind_null(handle, index) }

    /// Runs the statement to its end. A failure is a `DatabaseError` as GRDB would throw it;
    /// SQLite's message names columns and constraints, never values.
    func run() throws {
        precondition(index == sqlite3_bind_parameter_count(handle), "every parameter bound")
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: connection.map { String(cString: sqlite3_errmsg($0)) })
        }
        sqlite3_reset(handle)
    }

    /// `SQLITE_TRANSIENT`, which Swift cannot import (a cast of -1 to a function pointer).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
