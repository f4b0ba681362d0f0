import Foundation
import GRDB
import JembatanCore
import Testing

@testable import JembatanPostgres
@testable import JembatanStore

#if canImport(Glibc)
    import Glibc
#endif

/// A real PostgreSQL for the store tests: `JEMBATAN_TEST_POSTGRES` (a URL) when set, else one
/// started once per test process by `Scripts/lib/postgres` in a temporary folder and stopped
/// at exit. Each test gets a database of its own.
enum TestPostgres {
    private static let server: Result<PostgresSettings, TestPostgresError> = start()

    /// A fresh, empty database on the test server.
    static func freshDatabase() throws -> PostgresSettings {
        var settings = try server.get()
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try psql(settings, "CREATE DATABASE \(name)")
        settings.database = name
        return settings
    }

    /// Runs one statement with `psql` (test set-up only).
    static func psql(_ settings: PostgresSettings, _ sql: String) throws {
        let url = "postgres://\(settings.user)@\(settings.host):\(settings.port)/\(settings.database)"
        let status = run("/usr/bin/psql", [url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        guard status == 0 else { throw TestPostgresError("psql failed (\(status))") }
    }

    private static func start() -> Result<PostgresSettings, TestPostgresError> {
        if let url = ProcessInfo.processInfo.environment["JEMBATAN_TEST_POSTGRES"] {
            return Result { try PostgresSettings(url: url) }.mapError { TestPostgresError("\($0)") }
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scripts/lib/postgres").path
        let folder = "/tmp/jembatan-test-pg-\(UUID().uuidString.prefix(8))"
        guard let port = unusedPort() else { return .failure(TestPostgresError("no free port")) }
        guard run(script, ["start", folder, String(port)]) == 0 else {
            return .failure(TestPostgresError("could not start PostgreSQL (Scripts/setup installs it); see \(folder)"))
        }
        stopFolder = strdup(folder)
        stopScript = strdup(script)
        atexit {
            guard let folder = stopFolder, let script = stopScript else { return }
            _ = TestPostgres.run(String(cString: script), ["stop", String(cString: folder), "immediate"])
            _ = TestPostgres.run("/bin/rm", ["-rf", String(cString: folder)])
        }
        return .success(PostgresSettings(host: "127.0.0.1", port: port, user: "postgres", database: "postgres"))
    }

    /// Runs a program to its end. posix_spawn and waitpid rather than Foundation's `Process`,
    /// whose exit notification never came when waited for inside this static initialiser.
    @discardableResult
    static func run(_ path: String, _ arguments: [String]) -> Int32 {
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    }

    private static func unusedPort() -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { return nil }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

// Read by the atexit handler, which cannot capture context.
nonisolated(unsafe) private var stopFolder: UnsafeMutablePointer<CChar>?
nonisolated(unsafe) private var stopScript: UnsafeMutablePointer<CChar>?

struct TestPostgresError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// What the shared store tests need of either store.
protocol CheckedStore: BrokerStore {
    func messageCount(session: SessionID) throws -> Int
    func lastSeq(session: SessionID) throws -> Int?
    /// The first column of a query written the same for both engines (no parameters).
    func texts(_ sql: String) throws -> [String?]
}

extension SQLiteStore: CheckedStore {
    func texts(_ sql: String) throws -> [String?] {
        try dbQueue.read { try String?.fetchAll($0, sql: sql) }
    }
}

extension PostgresStore: CheckedStore {
    func texts(_ sql: String) throws -> [String?] {
        try link.query(sql).map { try $0[0].decode(String?.self) }
    }
}

/// The two implementations of ``BrokerStore``; tests taking it as an argument run on both.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    func make() throws -> any CheckedStore {
        switch self {
        case .sqlite: try SQLiteStore.inMemory()
        case .postgres: try PostgresStore(settings: TestPostgres.freshDatabase())
        }
    }
}
