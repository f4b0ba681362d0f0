import Crypto
import Foundation
import JembatanServer
import Testing
import _CryptoExtras

/// Every kind of bad token is refused; a clock skew is allowed; a portal may sign with a
/// private key (ES256, RS256) and then only those tokens pass.
@Suite struct TokenTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    let tokens = HS256Tokens(secret: Array("the office secret".utf8), skew: 30)

    func claims(exp: Int = 1_800_003_600, nbf: Int? = nil, role: String = "officer") -> TokenClaims {
        TokenClaims(sub: "o-1", role: role, name: "Ahmad", langs: ["id"], exp: exp, nbf: nbf)
    }

    /// A token with any header and payload, signed by `sign` over "header.payload".
    func token(header: String, payload: String, sign: ([UInt8]) -> [UInt8]) -> String {
        let input = b64(Array(header.utf8)) + "." + b64(Array(payload.utf8))
        return input + "." + b64(sign(Array(input.utf8)))
    }

    func b64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    func hmac(_ secret: String) -> ([UInt8]) -> [UInt8] {
        { Array(HMAC<SHA256>.authenticationCode(for: $0, using: SymmetricKey(data: Array(secret.utf8)))) }
    }

    static let payload = #"{"sub":"o-1","role":"officer","name":"Ahmad","langs":["id"],"exp":1800003600}"#

    @Test func validAndWithinTheSkewPass() {
        #expect(tokens.verify(tokens.sign(claims()), now: Self.now) != nil)
        #expect(tokens.verify(tokens.sign(claims(exp: 1_800_000_000 - 20)), now: Self.now) != nil)  // 20 s late: skew
        #expect(tokens.verify(tokens.sign(claims(nbf: 1_800_000_000 + 20)), now: Self.now) != nil)  // 20 s early: skew
    }

    @Test func expiredNotYetValidWrongAlgorithmWrongKeyMissingClaimsUnknownRoleAndTamperingAreRefused() {
        let refused = [
            tokens.sign(claims(exp: 1_800_000_000 - 31)),
            tokens.sign(claims(nbf: 1_800_000_000 + 31)),
            token(header: #"{"alg":"HS512","typ":"JWT"}"#, payload: Self.payload, sign: hmac("the office secret")),
            token(header: #"{"alg":"none","typ":"JWT"}"#, payload: Self.payload, sign: { _ in [] }),
            token(header: #"{"alg":"HS256","typ":"JWT"}"#, payload: Self.payload, sign: hmac("another secret")),
            token(header: #"{"alg":"HS256","typ":"JWT"}"#, payload: #"{"sub":"o-1","role":"officer"}"#, sign: hmac("the office secret")),
            tokens.sign(claims(role: "king")),
        ]
        for (index, token) in refused.enumerated() {
            #expect(tokens.verify(token, now: Self.now) == nil, "case \(index)")
        }
        // Tampered payload: the supervisor role swapped in after signing.
        let good = tokens.sign(claims()).split(separator: ".")
        let forged = b64(Array(Self.payload.replacingOccurrences(of: "officer", with: "supervisor").utf8))
        #expect(tokens.verify("\(good[0]).\(forged).\(good[2])", now: Self.now) == nil)
    }

    @Test func aPortalsES256KeyIsTheOnlyWayInWhenConfigured() throws {
        let portal = P256.Signing.PrivateKey()
        let verifier = try PublicKeyVerifier(pem: portal.publicKey.pemRepresentation)
        #expect(verifier.algorithm == "ES256")
        let keyed = HS256Tokens(secret: Array("the office secret".utf8), publicKey: verifier)
        let signed = token(header: #"{"alg":"ES256","typ":"JWT"}"#, payload: Self.payload) { input in
            Array((try? portal.signature(for: SHA256.hash(data: input)).rawRepresentation) ?? Data())
        }
        #expect(keyed.verify(signed, now: Self.now)?.id.rawValue == "o-1")
        #expect(keyed.verify(tokens.sign(claims()), now: Self.now) == nil)  // the shared secret no longer works
        let other = P256.Signing.PrivateKey()
        let impostor = token(header: #"{"alg":"ES256","typ":"JWT"}"#, payload: Self.payload) { input in
            Array((try? other.signature(for: SHA256.hash(data: input)).rawRepresentation) ?? Data())
        }
        #expect(keyed.verify(impostor, now: Self.now) == nil)
    }

    @Test func anRS256KeyWorksToo() throws {
        let portal = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let verifier = try PublicKeyVerifier(pem: portal.publicKey.pemRepresentation)
        #expect(verifier.algorithm == "RS256")
        let keyed = HS256Tokens(secret: [], publicKey: verifier)
        let signed = token(header: #"{"alg":"RS256","typ":"JWT"}"#, payload: Self.payload) { input in
            Array((try? portal.signature(for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5).rawRepresentation) ?? Data())
        }
        #expect(keyed.verify(signed, now: Self.now) != nil)
        #expect(throws: PublicKeyVerifier.PublicKeyError.self) { try PublicKeyVerifier(pem: "-----BEGIN NONSENSE-----") }
    }
}
