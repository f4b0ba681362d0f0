import Crypto
import Foundation
import JembatanCore

/// JWTs signed with HMAC-SHA256. The algorithm is pinned: a header saying anything but
/// `HS256` (`none` included) is refused; signatures are compared in constant time by
/// swift-crypto; `exp` is required.
public struct HS256Tokens: TokenVerifying {
    private let secret: [UInt8]

    public init(secret: [UInt8]) { self.secret = secret }

    // SymmetricKey is not Sendable in swift-crypto 3; making one per use is cheap.
    private var key: SymmetricKey { SymmetricKey(data: secret) }

    public func sign(_ claims: TokenClaims) -> String {
        let header = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let payload = Base64URL.encode(Array((try? encoder.encode(claims)) ?? Data()))
        let input = header + "." + payload
        let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: key)
        return input + "." + Base64URL.encode(Array(mac))
    }

    /// The claims of a valid, unexpired token signed with this secret; nil otherwise.
    public func claims(_ token: String, now: Date) -> TokenClaims? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard token.utf8.count <= 8192, parts.count == 3,
            let headerBytes = Base64URL.decode(parts[0]), let payloadBytes = Base64URL.decode(parts[1]),
            let signature = Base64URL.decode(parts[2]),
            let header = try? JSONDecoder().decode(Header.self, from: Data(headerBytes)), header.alg == "HS256"
        else { return nil }
        let input = Array("\(parts[0]).\(parts[1])".utf8)
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: input, using: key),
            let claims = try? JSONDecoder().decode(TokenClaims.self, from: Data(payloadBytes)),
            Double(claims.exp) > now.timeIntervalSince1970
        else { return nil }
        return claims
    }

    public func verify(_ token: String, now: Date) -> Identity? {
        claims(token, now: now)?.identity
    }

    private struct Header: Decodable { var alg: String }
}

/// Base64 with the URL alphabet and no padding, as JWTs use it.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: Substring) -> [UInt8]? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map(Array.init)
    }
}
