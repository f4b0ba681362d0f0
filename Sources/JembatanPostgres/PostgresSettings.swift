import Foundation

/// Where the cluster's PostgreSQL is: parsed from a URL such as
/// `postgres://user:password@127.0.0.1:5432/jembatan`. The password never appears in a
/// description.
public struct PostgresSettings: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    /// How long a connection attempt may take before the store answers `unavailable`.
    public var connectTimeout: TimeInterval = 2

    public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
    }

    /// Parses a `postgres://` or `postgresql://` URL; the database defaults to the user's name.
    public init(url text: String) throws(PostgresSettingsError) {
        guard let url = URLComponents(string: text), url.scheme == "postgres" || url.scheme == "postgresql" else {
            throw PostgresSettingsError("expected postgres://user[:password]@host[:port]/database")
        }
        guard let host = url.host, !host.isEmpty else { throw PostgresSettingsError("the URL names no host") }
        guard let user = url.user, !user.isEmpty else { throw PostgresSettingsError("the URL names no user") }
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        self.init(
            host: host, port: url.port ?? 5432, user: user, password: url.password,
            database: path.isEmpty ? user : path)
    }

    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }
}

/// A PostgreSQL URL that cannot be used. Says what is wrong, never the password.
public struct PostgresSettingsError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
