import Crypto
import Foundation
import JembatanCore

/// JWTs signed with HMAC-SHA256 with the deployment's secret — or, when a public key is
/// configured, signed by the portal's private key (ES256 or RS256) and only that. The algorithm
/// is pinned: any other header (`none` included) is refused; signatures are checked by
/// swift-crypto; `exp` is required, `nbf` honoured, both with a small clock skew.
public struct HS256Tokens: TokenVerifying {
    private let secret: [UInt8]
    /// Verifies instead of the secret when set (see ``PublicKeyVerifier``).
    private let publicKey: PublicKeyVerifier?
    /// Allowed difference between the portal's clock and ours, in seconds.
    public let skew: Int

    public init(secret: [UInt8], publicKey: PublicKeyVerifier? = nil, skew: Int = 30) {
        self.secret = secret
        self.publicKey = publicKey
        self.skew = max(0, skew)
    }

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
            let header = try? JSONDecoder().decode(Header.self, from: Data(headerBytes)),
            header.alg == (publicKey?.algorithm ?? "HS256")
        else { return nil }
        let input = Array("\(parts[0]).\(parts[1])".utf8)
        let signed =
            publicKey.map { $0.isValid(signature, for: input) }
            ?? HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: input, using: key)
        let time = Int(now.timeIntervalSince1970)
        guard signed, let claims = try? JSONDecoder().decode(TokenClaims.self, from: Data(payloadBytes)),
            claims.exp + skew > time, (claims.nbf ?? 0) - skew <= time
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
