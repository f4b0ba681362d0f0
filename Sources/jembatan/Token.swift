import ArgumentParser
import Foundation
import JembatanCore
import JembatanServer
import JembatanText

struct Token: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a signed token (JWT) for a participant.")

    @Option(help: "applicant, officer, counsellor, interpreter, supervisor, or system (the application system's HTTP token).")
    var role: String

    @Option(help: "Participant id (the token's sub).")
    var sub: String

    @Option(help: "Display name.")
    var name: String

    @Option(help: "Languages spoken, comma-separated BCP 47 tags (e.g. id,en,ar).")
    var langs: String

    @Option(help: "UI locale wish (e.g. ar).")
    var locale: String?

    @Option(help: "Staff: sessions at once.")
    var capacity: Int?

    @Option(help: "Lifetime, e.g. 8h, 30m, 3600s or 2d.")
    var ttl = "8h"

    @Flag(help: "Sign even when the spoof checker flags the name.")
    var allowSuspiciousName = false

    @OptionGroup var data: DataOptions

    func validate() throws {
        guard Role(rawValue: role) != nil else { throw ValidationError("--role: unknown role") }
        guard TokenLifetime.seconds(ttl) != nil else { throw ValidationError("--ttl: use a number with s, m, h or d") }
        guard languages.allSatisfy(LanguageTag.isWellFormed), !languages.isEmpty else {
            throw ValidationError("--langs: comma-separated BCP 47 tags")
        }
        if let capacity, !(1...100).contains(capacity) { throw ValidationError("--capacity must be 1...100") }
        guard !DisplayName.clean(name).isEmpty else { throw ValidationError("--name is empty once cleaned") }
        // A name that mixes look-alike scripts could let someone pass for a member of staff.
        guard allowSuspiciousName || !DisplayName.isSuspicious(name) else {
            throw ValidationError("--name mixes look-alike characters from different scripts; pass --allow-suspicious-name if it is real")
        }
    }

    var languages: [String] { langs.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func run() throws {
        let secret = try SecretFile.resolve(explicit: data.resolvedSecret, dataDirectory: data.data)
        let now = Int(Date().timeIntervalSince1970)
        let claims = TokenClaims(
            sub: sub, role: role, name: name, langs: languages, locale: locale, capacity: capacity,
            exp: now + TokenLifetime.seconds(ttl)!, iat: now)
        print(HS256Tokens(secret: secret).sign(claims))
    }
}

enum TokenLifetime {
    static func seconds(_ text: String) -> Int? {
        guard let unit = text.last, let value = Int(text.dropLast()), value > 0 else { return Int(text) }
        switch unit {
        case "s": return value
        case "m": return value * 60
        case "h": return value * 3600
        case "d": return value * 86400
        default: return nil
        }
    }
}
