import GRDB
import Testing

@testable import JembatanStore

/// The message path's statements bypass GRDB's argument binding; they must store exactly
/// what GRDB would, fail as GRDB would, and stay usable after a failure.
@Suite struct BoundStatementTests {
    static let insert = "INSERT INTO t (key, text, number) VALUES (?, ?, ?)"

    func database() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { try $0.execute(sql: "CREATE TABLE t (key TEXT NOT NULL UNIQUE, text TEXT, number INTEGER)") }
        return queue
    }

    func insert(_ key: String, _ text: String?, _ number: Int?, _ db: Database) throws {
        var statement = BoundStatement(try db.cachedStatement(sql: Self.insert), db)
        statement.bind(key)
        statement.bind(text)
        statement.bind(number)
        try statement.run()
    }

    @Test func storesWhatWasBoundNullsIncluded() throws {
        let queue = try database()
        let texts: [String?] = ["", "مرحبا", "居留许可 👩🏽‍⚕️", String(repeating: "x", count: 5_000), nil]
        try queue.write { db in
            for (index, text) in texts.enumerated() { try insert("k\(index)", text, index == 4 ? nil : index * 1_000_000_007, db) }
        }
        let rows = try queue.read { try Row.fetchAll($0, sql: "SELECT text, number FROM t ORDER BY key") }
        #expect(rows.map { $0["text"] as String? } == texts)
        #expect(rows.map { $0["number"] as Int? } == [0, 1_000_000_007, 2_000_000_014, 3_000_000_021, nil])
    }

    @Test func aFailureIsGRDBsErrorWithoutTheValuesAndTheStatementRunsAgain() throws {
        let queue = try database()
        try queue.write { db in
            try insert("secret-key", "a", 1, db)
            do {
                try insert("secret-key", "b", 2, db)
                Issue.record("a repeated key was stored")
            } catch let error as DatabaseError {
                #expect(error.resultCode == .SQLITE_CONSTRAINT)
                #expect(error.message?.contains("t.key") == true)
                #expect(error.message?.contains("secret") == false)
            }
            try insert("other", "c", 3, db)
        }
        #expect(try queue.read { try String.fetchAll($0, sql: "SELECT key FROM t ORDER BY key") } == ["other", "secret-key"])
    }
}
