import Foundation

/// Where the signing secret comes from: given (flag or environment), or, on the embedded
/// default, a random one created once in the data folder and kept there (mode 0600).
public enum SecretFile {
    public static let fileName = "jwt-secret"

    public static func loadOrCreate(in dataDirectory: String) throws -> [UInt8] {
        let path = (dataDirectory as NSString).appendingPathComponent(fileName)
        if let existing = FileManager.default.contents(atPath: path),
            let text = String(data: existing, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
            !text.isEmpty
        {
            return Array(text.utf8)
        }
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        guard FileManager.default.createFile(atPath: path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ServerError("cannot write the token secret file in the data folder")
        }
        return Array(secret.utf8)
    }

    /// The secret to use: an explicit one wins, then the data folder's.
    public static func resolve(explicit: String?, dataDirectory: String) throws -> [UInt8] {
        if let explicit, !explicit.isEmpty { return Array(explicit.utf8) }
        return try loadOrCreate(in: dataDirectory)
    }
}

/// A server start-up or configuration failure, described without user content.
public struct ServerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
