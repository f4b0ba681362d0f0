import Foundation
import JembatanCore

/// The claims of a Jembatan token (PROTOCOL.md, "Authentication").
public struct TokenClaims: Codable, Sendable, Equatable {
    public var sub: String
    public var role: String
    public var name: String
    public var langs: [String]
    public var locale: String?
    public var capacity: Int?
    public var exp: Int
    public var iat: Int?
    /// Not valid before this time (seconds since 1970).
    public var nbf: Int?

    public init(
        sub: String, role: String, name: String, langs: [String], locale: String? = nil,
        capacity: Int? = nil, exp: Int, iat: Int? = nil, nbf: Int? = nil
    ) {
        self.sub = sub
        self.role = role
        self.name = name
        self.langs = langs
        self.locale = locale
        self.capacity = capacity
        self.exp = exp
        self.iat = iat
        self.nbf = nbf
    }

    /// The participant these claims describe, or nil when a claim is out of range.
    public var identity: Identity? {
        guard let role = Role(rawValue: role), !sub.isEmpty, sub.utf8.count <= 128,
            name.utf8.count <= 256, langs.count <= 16, langs.allSatisfy(LanguageTag.isWellFormed)
        else { return nil }
        if let capacity, !(1...100).contains(capacity) { return nil }
        return Identity(id: ParticipantID(sub), role: role, name: name, langs: langs, locale: locale, capacity: capacity)
    }
}
