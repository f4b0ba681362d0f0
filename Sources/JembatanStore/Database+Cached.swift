import GRDB

extension Database {
    /// Runs one statement prepared once per connection (GRDB's statement cache). `execute(sql:)`
    /// prepares it again every time: opening a session paid ~100,000 instructions a member
    /// row for that, more than the writes themselves.
    func executeCached(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
