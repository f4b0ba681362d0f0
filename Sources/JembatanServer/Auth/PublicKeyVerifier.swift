import Crypto
import Foundation
import _CryptoExtras

/// A portal's public key, for deployments whose portal signs tokens with its private key:
/// ES256 (P-256, signature `r‖s`) or RS256 (RSA PKCS #1 v1.5 with SHA-256), from PEM.
public struct PublicKeyVerifier: Sendable {
    public let algorithm: String
    private let pem: String

    /// Reads a PEM public key; an EC key means ES256, an RSA key RS256.
    public init(pem: String) throws {
        if (try? P256.Signing.PublicKey(pemRepresentation: pem)) != nil {
            algorithm = "ES256"
        } else if (try? _RSA.Signing.PublicKey(pemRepresentation: pem)) != nil {
            algorithm = "RS256"
        } else {
            throw PublicKeyError.unreadable
        }
        self.pem = pem
    }

    func isValid(_ signature: [UInt8], for input: [UInt8]) -> Bool {
        switch algorithm {
        case "ES256":
            guard let key = try? P256.Signing.PublicKey(pemRepresentation: pem),
                let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature)
            else { return false }
            return key.isValidSignature(ecdsa, for: SHA256.hash(data: input))
        default:
            guard let key = try? _RSA.Signing.PublicKey(pemRepresentation: pem) else { return false }
            return key.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5)
        }
    }

    public enum PublicKeyError: Error, CustomStringConvertible {
        case unreadable
        public var description: String { "not a PEM public key of P-256 (ES256) or RSA (RS256)" }
    }
}
