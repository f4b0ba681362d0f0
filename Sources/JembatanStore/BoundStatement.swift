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
    /// The texts' bytes, one after another, bound in place when the statement runs: SQLite
    /// copying each text into its own allocation cost ~700 instructions a value. The first
    /// byte is a spare, so the buffer is never empty and an empty text is not bound as NULL.
    private var texts: [UInt8] = []
    private var textParameters: [(index: Int32, offset: Int, count: Int)] = []

    /// `statement`: one of `db`'s, prepared once per connection (GRDB's statement cache).
    init(_ statement: Statement, _ db: Database) {
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
        // The statement may still hold the last run's state (GRDB resets before a run, not after).
        sqlite3_reset(handle)
        texts.reserveCapacity(512)
        texts.append(0)
        // Grown one append at a time, the list was reallocated four times a message insert.
        textParameters.reserveCapacity(Int(sqlite3_bind_parameter_count(handle)))
    }

    mutating func bind(_ value: String?) {
        index += 1
        guard let value else { return bindNull() }
        textParameters.append((index, texts.count, value.utf8.count))
        texts.append(contentsOf: value.utf8)
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
        let failure: DatabaseError? = texts.withUnsafeBytes { bytes in
            for text in textParameters {
                let start = bytes.baseAddress!.advanced(by: text.offset).assumingMemoryBound(to: CChar.self)
                // Static: the bytes outlive the step, and the bindings are cleared before they do not.
                sqlite3_bind_text(handle, text.index, start, Int32(text.count), nil)
            }
            defer {
                sqlite3_reset(handle)
                sqlite3_clear_bindings(handle)
            }
            let code = sqlite3_step(handle)
            guard code != SQLITE_DONE else { return nil }
            // Read before the reset, which may replace the connection's message.
            return DatabaseError(resultCode: ResultCode(rawValue: code), message: connection.map { String(cString: sqlite3_errmsg($0)) })
        }
        if let failure { throw failure }
    }
}

/// The statements the store thread runs for every message, named so a batch can look each up
/// once (``WriterMemo/statement(_:_:)``).
enum WriteStatement: Int, CaseIterable {
    case insertMessage, indexMessage

    var sql: String {
        switch self {
        case .insertMessage: Self.insertSQL
        case .indexMessage: "INSERT INTO message_search (rowid, words) VALUES (?, ?)"
        }
    }

    private static let insertSQL = """
        INSERT INTO messages (session_id, seq, sender_id, sender_role, kind, text, template_key,
            template_args, dir, lang, client_msg_id, reply_to, translation_of, created_at, visibility, shown)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
}
