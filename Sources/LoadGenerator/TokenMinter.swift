import Crypto
import Foundation

/// HS256 tokens signed with the broker's secret, as `jembatan token` makes them, so the
/// generator needs no broker code and no round trip per participant.
struct TokenMinter {
    let secret: [UInt8]

    struct Claims: Encodable {
        var sub: String
        var role: String
        var name: String
        var langs: [String]
        var locale: String?
        var capacity: Int?
        var exp: Int
        var iat: Int
    }

    func token(sub: String, role: String, name: String, langs: [String], locale: String?, capacity: Int?) -> String {
        let now = Int(Date().timeIntervalSince1970)
        let claims = Claims(
            sub: sub, role: role, name: name, langs: langs, locale: locale, capacity: capacity, exp: now + 8 * 3600, iat: now)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let header = base64URL(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let payload = base64URL(Array((try? encoder.encode(claims)) ?? Data()))
        let input = header + "." + payload
        let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: secret))
        return input + "." + base64URL(Array(mac))
    }

    private func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The secret: given, else the environment's `JEMBATAN_JWT_SECRET`, else the data folder's file.
    static func secret(explicit: String?, dataDirectory: String?) throws -> [UInt8] {
        if let explicit, !explicit.isEmpty { return Array(explicit.utf8) }
        if let environment = ProcessInfo.processInfo.environment["JEMBATAN_JWT_SECRET"], !environment.isEmpty {
            return Array(environment.utf8)
        }
        if let dataDirectory,
            let contents = FileManager.default.contents(atPath: dataDirectory + "/jwt-secret"),
            let text = String(data: contents, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty
        {
            return Array(text.utf8)
        }
        throw LoadError("no secret: pass --secret, set JEMBATAN_JWT_SECRET or --data with a jwt-secret file")
    }
}

/// A generator failure, described without tokens or message content.
struct LoadError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
