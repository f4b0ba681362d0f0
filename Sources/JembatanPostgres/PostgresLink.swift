import Foundation
import JembatanCore
import JembatanStore
import Logging
import PostgresNIO

/// One PostgreSQL connection used from one thread at a time, blocking: the store thread waits
/// for each answer (its batches run one after another anyway). After a failure the
/// connection is dropped and the next use connects again, so a restarted server is picked up
/// without restarting the broker.
final class PostgresLink {
    let settings: PostgresSettings
    private let logger: Logger
    private var connection: PostgresConnection?

    init(settings: PostgresSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    deinit { close() }

    /// Runs one statement with `$1…` parameters and returns its rows.
    @discardableResult
    func query(_ sql: String, _ arguments: [SQLArgument] = []) throws -> [PostgresRandomAccessRow] {
        try run(sql, arguments).rows
    }

    /// Runs one statement and returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [SQLArgument] = []) throws -> Int {
        try run(sql, arguments).changed
    }

    func close() {
        guard let connection else { return }
        self.connection = nil
        try? (connection.close() as EventLoopFuture<Void>).wait()
    }

    private func run(_ sql: String, _ arguments: [SQLArgument]) throws -> (rows: [PostgresRandomAccessRow], changed: Int) {
        let connection = try connected()
        var binds = PostgresBindings(capacity: arguments.count)
        for argument in arguments { argument.bind(into: &binds) }
        do {
            let result = try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait()
            return (result.rows.map { $0.makeRandomAccess() }, result.metadata.rows ?? 0)
        } catch {
            dropUnlessRefused(error)
            throw error
        }
    }

    private func connected() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        var configuration = PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.user, password: settings.password,
            database: settings.database, tls: .disable)
        configuration.options.connectTimeout = .milliseconds(Int64(settings.connectTimeout * 1000))
        let fresh = try PostgresConnection.connect(
            on: PostgresConnection.defaultEventLoopGroup.next(), configuration: configuration, id: 1, logger: logger
        ).wait()
        connection = fresh
        return fresh
    }

    /// A statement the server refused leaves the connection usable; anything else (a lost
    /// connection, a timeout) drops it so the next use connects again.
    private func dropUnlessRefused(_ error: any Error) {
        if let error = error as? PSQLError, error.serverInfo != nil { return }
        logger.debug("postgres connection dropped", metadata: ["error": "\(PostgresFailure.describe(error))"])
        close()
    }
}

/// A statement parameter. Dates travel as epoch milliseconds, as in SQLite.
enum SQLArgument {
    case text(String?)
    case int(Int64?)

    static func int(_ value: Int?) -> SQLArgument { .int(value.map(Int64.init)) }
    static func int(_ value: Int) -> SQLArgument { .int(Int64(value)) }

    /// The value as JSON (for statements that take many rows as one JSON array).
    var json: JSONValue {
        switch self {
        case .text(let value): JSONValue(value)
        case .int(let value): value.map { .number(Double($0)) } ?? .null
        }
    }

    func bind(into binds: inout PostgresBindings) {
        switch self {
        case .text(let value): binds.append(value)
        case .int(let value): binds.append(value)
        }
    }
}

/// Errors named by code only: PostgreSQL's messages can quote the values of a row.
enum PostgresFailure {
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let state = error.serverInfo?[.sqlState] { return "postgres sqlstate \(state)" }
            return "postgres \(error.code)"
        }
        if error is UnreadableRow { return "\(error)" }
        return "\(type(of: error))"
    }

    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}

extension PostgresRandomAccessRow: StoredRow {
    package func text(_ column: String) throws -> String? {
        guard contains(column) else { return nil }
        return try self[column].decode(String?.self)
    }

    package func integer(_ column: String) throws -> Int64? {
        guard contains(column) else { return nil }
        return try self[column].decode(Int64?.self)
    }
}
